/**
 * The server's rate limit is undocumented (docs/api-notes.md): this estimates it from its answers,
 * as a token bucket (a refill rate and a size). Pure functions over the answers of stretches
 * between pauses; the pacer (rateGovernor.ts) keeps the state and decides what to do with it.
 */

/** What the server's limiter answered to one call: when the call was sent, and whether it got through. */
export interface Answer {
  sentAtMs: number;
  accepted: boolean;
}

/** Refill rates, in calls per second, that explain every answer seen for one bucket size. */
export interface Bounds {
  low: number;
  high: number;
}

/** Per bucket size, the refill rates that fit every stretch so far. */
export type LimitFits = ReadonlyMap<number, Bounds>;

/** A one-token bucket can explain any refusal within the slack: such a limit is left to the fallback. */
const MIN_BURST = 2;
const MAX_BURST = 64;
export const MAX_RATE = 1e6;
/** Tokens a fit may be off by: calls reach the server a little out of the order they were sent. */
const SLACK = 1;

/**
 * The fits narrowed by one more stretch (its answers by send time, the server's bucket full at
 * `startMs`). When nothing fits every stretch (the first one, the limit changed, or it is no token
 * bucket), the fits start again from this stretch alone.
 */
export function foldStretch(fits: LimitFits, answers: readonly Answer[], startMs: number): LimitFits {
  const kept = new Map<number, Bounds>();
  for (const [burst, before] of fits) {
    const bounds = rateBounds(answers, startMs, burst);
    if (bounds === undefined) continue;
    const low = Math.max(before.low, bounds.low);
    const high = Math.min(before.high, bounds.high);
    if (low < high) kept.set(burst, { low, high });
  }
  if (kept.size > 0) return kept;
  const fresh = new Map<number, Bounds>();
  for (let burst = MIN_BURST; burst <= MAX_BURST; burst += 1) {
    const bounds = rateBounds(answers, startMs, burst);
    if (bounds !== undefined) fresh.set(burst, bounds);
  }
  return fresh;
}

/** The lowest and highest refill rate that fit, over every bucket size; undefined when none does. */
export function boundsOf(fits: LimitFits): Bounds | undefined {
  if (fits.size === 0) return undefined;
  const all = [...fits.values()];
  return { low: Math.min(...all.map((b) => b.low)), high: Math.max(...all.map((b) => b.high)) };
}

/**
 * A floor under the server's refill rate that the answers prove: the calls accepted over the two
 * seconds before the refusal at `eventAtMs`, less the largest bucket that fits (it may have held
 * them), per second.
 */
export function provenPerSecond(answers: readonly Answer[], startMs: number, eventAtMs: number, fits: LimitFits): number {
  const fromMs = Math.max(startMs, eventAtMs - 2000);
  const seconds = (eventAtMs - fromMs) / 1000;
  if (seconds < 1) return 0;
  const accepted = answers.filter((answer) => answer.accepted && answer.sentAtMs >= fromMs && answer.sentAtMs <= eventAtMs).length;
  const largestBurst = Math.max(0, ...fits.keys());
  return Math.max(0, accepted - largestBurst) / seconds;
}

/**
 * Calls accepted per second over the two seconds before `untilMs`, or since `sinceMs` if that is
 * later; never over less than a quarter second, where a burst would pass for a rate.
 */
export function acceptedPerSecond(answers: readonly Answer[], sinceMs: number, untilMs: number): number {
  const fromMs = Math.max(sinceMs, untilMs - 2000);
  const accepted = answers.filter((answer) => answer.accepted && answer.sentAtMs >= fromMs && answer.sentAtMs <= untilMs).length;
  return accepted / (Math.max(250, untilMs - fromMs) / 1000);
}

/** The order answers are kept in: by send time; at the same instant the server let the accepted ones through first, or it would have refused them too. */
export function answeredBefore(a: Answer, b: Answer): boolean {
  return a.sentAtMs < b.sentAtMs || (a.sentAtMs === b.sentAtMs && a.accepted && !b.accepted);
}

/**
 * The refill rates at which a bucket of `burst` tokens, full at `startMs`, accepts every
 * accepted call and refuses every refused one. Both tests are monotonic in the rate, so each
 * bound is a bisection.
 */
export function rateBounds(answers: readonly Answer[], startMs: number, burst: number): Bounds | undefined {
  const acceptsAll = (rate: number) => replay(answers, startMs, burst, rate).acceptsAll;
  const refusesAll = (rate: number) => replay(answers, startMs, burst, rate).refusesAll;
  if (!acceptsAll(MAX_RATE) || !refusesAll(0)) return undefined;
  const low = leastRate(acceptsAll);
  const high = refusesAll(MAX_RATE) ? MAX_RATE : leastRate((rate) => !refusesAll(rate));
  return low < high ? { low, high } : undefined;
}

/** Where `holds` turns true, given it is false at 0 and true at MAX_RATE. */
function leastRate(holds: (rate: number) => boolean): number {
  let below = 1e-3;
  if (holds(below)) return 0;
  let above = MAX_RATE;
  while (above / below > 1 + 1e-4) {
    const middle = Math.sqrt(below * above);
    if (holds(middle)) above = middle;
    else below = middle;
  }
  return above;
}

/**
 * Whether a bucket refilled at `perSecond` explains every accepted call (it found a token) and
 * every refused one (it found none), within SLACK tokens.
 */
function replay(answers: readonly Answer[], startMs: number, burst: number, perSecond: number): { acceptsAll: boolean; refusesAll: boolean } {
  let tokens = burst;
  let at = startMs;
  let acceptsAll = true;
  let refusesAll = true;
  for (const answer of answers) {
    if (answer.sentAtMs > at) {
      tokens = Math.min(burst, tokens + ((answer.sentAtMs - at) / 1000) * perSecond);
      at = answer.sentAtMs;
    }
    if (answer.accepted) {
      if (tokens < 1 - SLACK) acceptsAll = false;
      tokens -= 1;
    } else if (tokens >= 1 + SLACK) {
      refusesAll = false;
    }
  }
  return { acceptsAll, refusesAll };
}
