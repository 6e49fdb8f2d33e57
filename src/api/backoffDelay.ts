/**
 * Capped exponential backoff with full jitter: a random wait in [0, min(cap, base·2^(n-1))),
 * so that many workers failing together do not come back together. A Retry-After from the
 * API is the wait, exactly: no sooner than asked, and no longer either (issue 13, item 8).
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs?: number, baseMs = 250, capMs = 30_000): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
