export interface RateGovernorOptions {
  /** `--rate`: calls per second over the whole run, never exceeded. Unset: find the server's limit. */
  ratePerSecond?: number;
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** What the server's limiter answered to one call: when it was sent, and whether it let it through. */
interface Answer {
  sentAtMs: number;
  accepted: boolean;
}

/** Refill rates (calls per second) of the token buckets that would have answered exactly as the server did. */
interface LimitBounds {
  low: number;
  high: number;
  /** Set when a single whole-token burst fits. */
  burst?: number;
}

export const TUNING = {
  /** Tokens the governor's own bucket holds: a pause never ends in a herd. */
  burst: 2,
  /** Without a usable estimate, the rate doubles this often until the server refuses. */
  slowStartDoublingMs: 250,
  /** A fit is used once the server's limit is pinned within this factor. */
  trustedSpan: 1.5,
  /** Where, between the lowest and the highest limit that fits, the rate is set. */
  pick: 0,
  /** Below that estimate: pause only for Retry-After, do not also spend capacity. */
  margin: 0,
  /** Every refusal lowers the rate by at least this share. */
  minStep: 0.02,
  /** Probing above the estimate, per second, as a share of the rate: slow, since each refusal costs a pause. */
  probePerSecond: 0.002,
  /** Climbing back up to the estimate, per second, as a share of it. */
  recoverPerSecond: 0.1,
  /** The backoff when a 429 carries no Retry-After: the first ceiling, doubled per consecutive refusal, capped. */
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  /** Answers kept for the fit. */
  maxAnswers: 4000,
};

const MAX_BURST = 64;
const MAX_RATE = 1e6;

/**
 * One pace for every call of a run, queries and mutations alike: a token bucket (`--rate`), a
 * run-wide pause on 429, and an estimate of the server's own limit when none is given.
 *
 * The limit is undocumented (API-NOTES.md), and every 429 costs the whole run a pause of at
 * least its Retry-After (whole seconds), so the governor learns as much as it can from each
 * refusal: it replays the answers it got (send time, accepted or not) against token buckets and
 * keeps the refill rates that explain them exactly. The first refusal of an unthrottled run comes
 * from the initial burst and pins the bucket's size; a doubling ramp then finds the refill rate.
 */
export class RateGovernor {
  private readonly ceiling: number | undefined;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  private rate: number | undefined;
  private rising: 'slowStart' | 'steady';
  /** The server's limit as last estimated from its refusals. */
  private estimate: number | undefined;
  private burstEstimate: number | undefined;

  private readonly waiting: Array<() => void> = [];
  private dispatching = false;
  /** The bucket as a schedule (GCRA): the time the next call would be due at the current pace. */
  private dueAtMs = -Infinity;
  private grownAtMs = -Infinity;
  private pausedUntil = -Infinity;
  /** When the last refusal that changed anything was answered: refusals of calls sent before it are the same event. */
  private eventAtMs = -Infinity;
  private consecutiveEvents = 0;
  /** Sorted by send time. */
  private readonly answers: Answer[] = [];
  private readonly sentAtMs: number[] = [];

  constructor(options: RateGovernorOptions = {}) {
    const given = options.ratePerSecond;
    if (given !== undefined && !(given > 0 && Number.isFinite(given))) throw new RangeError(`rate must be a positive number, got ${given}`);
    this.ceiling = given;
    this.rate = given;
    this.rising = 'steady';
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Calls per second now in force; undefined while unthrottled. */
  get currentRate(): number | undefined {
    return this.rate;
  }

  /** No call is released before this time. */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** Resolves, in arrival order, when one call may be sent. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      void this.dispatch();
    });
  }

  /**
   * A call was answered 429. `sentAtMs` (when acquire resolved for it) tells a refusal of a call
   * already in flight when the run paused, which is part of the same event, from a new one;
   * without it, any refusal answered during a pause is taken as part of that pause's event.
   */
  onRateLimited(retryAfterMs?: number, sentAtMs?: number): void {
    const now = this.nowMs();
    this.remember({ sentAtMs: sentAtMs ?? now, accepted: false });
    const sameEvent = sentAtMs !== undefined ? sentAtMs <= this.eventAtMs : now < this.pausedUntil;
    if (sameEvent) {
      if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
      return;
    }
    this.consecutiveEvents += 1;
    this.eventAtMs = now;
    this.stepDown(now);
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? this.backoffMs()));
  }

  /** A call got any answer but 429 from the server. */
  onAccepted(sentAtMs?: number): void {
    const now = this.nowMs();
    this.remember({ sentAtMs: sentAtMs ?? now, accepted: true });
    if (sentAtMs !== undefined ? sentAtMs > this.eventAtMs : now >= this.pausedUntil) this.consecutiveEvents = 0;
  }

  private async dispatch(): Promise<void> {
    if (this.dispatching) return;
    this.dispatching = true;
    // The rate only rises while calls are waiting for it: idle time proves nothing.
    this.grownAtMs = Math.max(this.grownAtMs, this.nowMs());
    try {
      while (this.waiting.length > 0) {
        const now = this.nowMs();
        const wait = this.waitMs(now);
        if (wait > 1e-3) {
          await this.sleep(wait);
          continue;
        }
        if (this.rate !== undefined) this.dueAtMs = Math.max(this.dueAtMs, now) + 1000 / this.rate;
        this.sentAtMs.push(now);
        if (this.sentAtMs.length > TUNING.maxAnswers) this.sentAtMs.splice(0, this.sentAtMs.length - TUNING.maxAnswers);
        this.waiting.shift()!();
      }
    } finally {
      this.dispatching = false;
    }
  }

  private waitMs(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.grow(now);
    if (this.rate === undefined) return 0;
    return Math.max(this.dueAtMs, now) - (TUNING.burst - 1) * (1000 / this.rate) - now;
  }

  private grow(now: number): void {
    const from = Math.max(this.grownAtMs, this.pausedUntil);
    this.grownAtMs = Math.max(this.grownAtMs, now);
    if (this.rate === undefined || now <= from) return;
    const seconds = (now - from) / 1000;
    let rate = this.rate;
    if (this.rising === 'slowStart') {
      rate *= 2 ** ((seconds * 1000) / TUNING.slowStartDoublingMs);
    } else {
      const target = this.estimate !== undefined ? this.estimate * (1 - TUNING.margin) : this.ceiling;
      if (target !== undefined && rate < target) rate = Math.min(target, rate + TUNING.recoverPerSecond * target * seconds);
      else rate += TUNING.probePerSecond * rate * seconds;
    }
    this.rate = Math.min(rate, this.ceiling ?? MAX_RATE);
  }

  private stepDown(now: number): void {
    const atEvent = this.rate ?? this.sentRate(now);
    const bounds = this.fitLimit();
    let next: number;
    if (bounds !== undefined && bounds.high <= TUNING.trustedSpan * bounds.low) {
      this.estimate = bounds.low + TUNING.pick * (bounds.high - bounds.low);
      this.rising = 'steady';
      next = Math.min(this.estimate * (1 - TUNING.margin), atEvent * (1 - TUNING.minStep));
    } else {
      // Nothing pins the limit yet: restart low and double until the server refuses again.
      this.rising = 'slowStart';
      this.estimate = undefined;
      next = Math.max(1, bounds?.low ?? 0, Math.min(this.acceptedRate(now), atEvent / 2));
    }
    this.rate = Math.min(next, this.ceiling ?? MAX_RATE);
    this.grownAtMs = now;
  }

  private backoffMs(): number {
    const ceiling = Math.min(TUNING.backoffCapMs, TUNING.backoffBaseMs * 2 ** (this.consecutiveEvents - 1));
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  private remember(answer: Answer): void {
    let at = this.answers.length;
    while (at > 0 && precedes(answer, this.answers[at - 1]!)) at -= 1;
    this.answers.splice(at, 0, answer);
    if (this.answers.length > TUNING.maxAnswers) this.answers.splice(0, this.answers.length - TUNING.maxAnswers / 2);
  }

  /** Calls released per second over the last second. */
  private sentRate(now: number): number {
    return this.sentAtMs.filter((at) => at > now - 1000).length;
  }

  /** Calls accepted per second, over the last two seconds. */
  private acceptedRate(now: number): number {
    return this.answers.filter((answer) => answer.accepted && answer.sentAtMs > now - 2000).length / 2;
  }

  private fitLimit(): LimitBounds | undefined {
    if (this.burstEstimate !== undefined) {
      const bounds = rateBounds(this.answers, this.burstEstimate);
      if (bounds !== undefined) return { ...bounds, burst: this.burstEstimate };
      this.burstEstimate = undefined;
    }
    const fits: Array<{ burst: number; low: number; high: number }> = [];
    for (let burst = 1; burst <= MAX_BURST; burst += 1) {
      const bounds = rateBounds(this.answers, burst);
      if (bounds !== undefined) fits.push({ burst, ...bounds });
    }
    if (fits.length === 0) return undefined;
    if (fits.length === 1) this.burstEstimate = fits[0]!.burst;
    return {
      low: Math.min(...fits.map((fit) => fit.low)),
      high: Math.max(...fits.map((fit) => fit.high)),
      ...(this.burstEstimate !== undefined ? { burst: this.burstEstimate } : {}),
    };
  }
}

/** Same instant: the server let the accepted ones through first, or it would have refused them too. */
function precedes(a: Answer, b: Answer): boolean {
  return a.sentAtMs < b.sentAtMs || (a.sentAtMs === b.sentAtMs && a.accepted && !b.accepted);
}

/**
 * The refill rates at which a bucket of `burst` tokens, full at the first answer, accepts every
 * accepted call and refuses every refused one. Both tests are monotonic in the rate, so each
 * bound is a bisection.
 */
function rateBounds(answers: readonly Answer[], burst: number): { low: number; high: number } | undefined {
  if (!replay(answers, burst, MAX_RATE).acceptsAll) return undefined;
  const low = bisect((rate) => replay(answers, burst, rate).acceptsAll);
  const refusesAtTop = replay(answers, burst, MAX_RATE).refusesAll;
  const high = refusesAtTop ? MAX_RATE : bisect((rate) => !replay(answers, burst, rate).refusesAll);
  return low <= high ? { low, high } : undefined;
}

/** The least rate in (0, MAX_RATE] where `holds` turns true (it is false below, true above). */
function bisect(holds: (rate: number) => boolean): number {
  if (holds(1e-3)) return 0;
  let below = Math.log(1e-3);
  let above = Math.log(MAX_RATE);
  for (let i = 0; i < 48; i += 1) {
    const middle = (below + above) / 2;
    if (holds(Math.exp(middle))) above = middle;
    else below = middle;
  }
  return Math.exp(above);
}

function replay(answers: readonly Answer[], burst: number, perSecond: number): { acceptsAll: boolean; refusesAll: boolean } {
  let tokens = burst;
  let at = answers[0]?.sentAtMs ?? 0;
  let acceptsAll = true;
  let refusesAll = true;
  for (const answer of answers) {
    tokens = Math.min(burst, tokens + ((answer.sentAtMs - at) / 1000) * perSecond);
    at = answer.sentAtMs;
    if (answer.accepted) {
      if (tokens < 1 - 1e-9) acceptsAll = false;
      tokens -= 1;
    } else if (tokens >= 1 + 1e-9) {
      refusesAll = false;
    }
  }
  return { acceptsAll, refusesAll };
}
