/**
 * Capped exponential backoff with full jitter: a random wait in [0, min(cap, base·2^(n-1))),
 * so that many workers failing together do not come back together. A Retry-After from the
 * API is a floor: never come back sooner than asked.
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs?: number, baseMs = 250, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
