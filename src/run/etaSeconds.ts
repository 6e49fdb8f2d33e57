/** Before this share of the requests is resolved, or this long, an ETA would say more about the start than the run. */
const ETA_AFTER_SHARE = 0.05;
const ETA_AFTER_MS = 10_000;
/** Beyond this, the rate is too low for an ETA to mean anything. */
const MAX_ETA_SECONDS = 100 * 3600;

/**
 * Seconds left at the current rate, once it means something: the total known, some requests left,
 * the rate above zero, and 5% of the requests resolved or 10 s passed; undefined otherwise.
 */
export function etaSeconds(resolved: number, total: number | undefined, requestsPerSecond: number | undefined, elapsedMs: number): number | undefined {
  if (total === undefined || resolved >= total || requestsPerSecond === undefined || requestsPerSecond <= 0) return undefined;
  if (resolved < total * ETA_AFTER_SHARE && elapsedMs < ETA_AFTER_MS) return undefined;
  const seconds = Math.ceil((total - resolved) / requestsPerSecond);
  return seconds <= MAX_ETA_SECONDS ? seconds : undefined;
}
