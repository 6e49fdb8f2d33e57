/**
 * Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from now.
 * Anything else, or a date in the past, gives undefined: the caller falls back to its backoff.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header == null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const wait = at - nowMs;
  return wait > 0 ? wait : undefined;
}
