import { backoffDelay } from './backoffDelay.js';
import { OutsidePressure, type EndedStretch } from './outsidePressure.js';
import { acceptedPerSecond, answeredBefore, boundsOf, foldStretch, MAX_RATE, provenPerSecond, type Answer, type LimitFits } from './limitEstimate.js';

export interface RateGovernorOptions {
  /** `--rate`: calls per second over the whole run, never exceeded. Unset: find the server's limit. */
  ratePerSecond?: number;
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const TUNING = {
  /**
   * Calls an unthrottled run may have in flight at first; each accepted answer adds one, so the
   * count doubles every round trip (TCP's slow start) until the first 429.
   */
  firstBurst: 8,
  /** Tokens the governor's own bucket holds: a pause never ends in a herd. */
  burst: 2,
  /** After a first refusal that pins nothing, the rate doubles this often until the next. */
  slowStartDoublingMs: 250,
  /** An estimate is used once it pins the server's limit within this factor. */
  trustedSpan: 3,
  /**
   * Where the rate goes after a refusal, between the lowest and the highest limit that fit: low,
   * since being above the limit costs a whole pause and being under it only a share.
   */
  pick: 0.3,
  /** Every refusal lowers the rate by at least this share. */
  minStep: 0.02,
  /** The rate stays this share under the highest limit that fits, where the server surely refuses. */
  capMargin: 0.01,
  /** How long the rate takes to climb from the lowest limit that fits to just under the highest. */
  probeSeconds: 60,
  /** The ceiling a fit sets drifts up this share per second, in case the server's limit was raised... */
  capDriftPerSecond: 0.001,
  /**
   * ...once this long has passed without a refusal. Each drift past the limit costs a refusal and
   * its pause (a second of a minute): drifting at once cost a refusal every 30 to 80 s, 1.5 to 3%
   * of the run spent watching for a rare event that the next run learns afresh anyway.
   */
  capDriftQuietSeconds: 300,
  /**
   * After a refusal the rate never falls below this share of what the server has proven it
   * accepts: the calls it accepted over the last two seconds, less a whole bucket. A refusal
   * after a long stretch near the limit is then a small step, not a fall to the bottom of a fit
   * that a few late or bunched calls have widened.
   */
  provenShare: 0.95,
  /** With --rate, an isolated refusal lowers the rate by this share only (see stepDownFromGiven)... */
  givenStepDown: 0.1,
  /** ...a refusal being isolated when the one before it is at least this far back, or there is none. */
  isolatedSeconds: 10,
  /** Without a fitting bucket: the rate after a refusal, as a share of the accepted rate, and its climb per second. */
  fallbackDecrease: 0.75,
  fallbackIncreasePerSecond: 0.05,
  /** With --rate, how long the climb back to it takes after a refusal. */
  recoverSeconds: 5,
  /**
   * With --rate, the pace stays this share under it. Paced at exactly a server's limit, its bucket
   * never refills: every late call that arrives bunched with the next drains it for good, and the
   * run meets a 429 (and a whole pause) every few stalls. A little under, it refills a token every
   * second or so and absorbs them.
   */
  givenHeadroom: 0.02,
  /**
   * The run-wide pause when a 429 carries no Retry-After: backoffDelay (the one backoff policy,
   * full jitter) from this ceiling, doubled per consecutive refusal, capped.
   */
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  /** Answers kept per stretch between pauses. */
  maxAnswers: 20_000,
};

/** What a 429 meant: the run's pace met the server's limit (the run pauses), or not (only the refused call waits). */
export type RefusalVerdict = 'limit' | 'outside_pressure';

/**
 * One pace for every call of a run, queries and mutations alike: a token bucket (`--rate`), a
 * run-wide pause on 429, and, since the server's limit is undocumented (docs/api-notes.md#http-errors), an
 * estimate of that limit learnt from its refusals.
 *
 * Every 429 of the run's own pace costs the whole run a pause of its Retry-After (whole seconds),
 * so each refusal must teach as much as it can; a 429 the pace did not cause (outside pressure,
 * see outsidePressure.ts) costs only the refused call its wait. Each stretch between two pauses starts with the server's
 * bucket full; the governor replays the answers it got in that stretch (send time, accepted or
 * refused) against token buckets of every size and keeps the refill rates that explain them,
 * intersected over stretches. An unthrottled start ends in a burst that pins the bucket's size;
 * a doubling ramp then pins its rate; the rate then sits inside what fits and probes slowly.
 */
export class RateGovernor {
  private readonly given: number | undefined;
  /** The pace --rate sets: a little under it (givenHeadroom). */
  private readonly givenPace: number | undefined;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  private rate: number | undefined;
  private rising: 'slowStart' | 'probe' = 'probe';
  private slowStarted = false;
  /** The rate never goes above this: the given rate, or just under the highest limit that fits. */
  private ceiling: number;
  private probeStep = 0;

  private readonly waiting: Array<() => void> = [];
  private dispatching = false;
  private tokens: number = TUNING.burst;
  private refilledAtMs = -Infinity;
  private grownAtMs = -Infinity;
  private pausedUntil = -Infinity;

  /** When the current refusal event began: refusals of calls sent before it belong to it. */
  private eventAtMs = -Infinity;
  private previousEventAtMs = -Infinity;
  private consecutiveEvents = 0;
  private rateAtEvent = 0;
  /** The fit waits for the pause to end: the answers to the calls in flight arrive during it. */
  private refitPending = false;

  private stretchStartMs: number | undefined;
  /** This stretch's answers, by send time. */
  private answers: Answer[] = [];
  /** Recent release times: the last second's count, and --rate's window. */
  private readonly releasedAtMs: number[] = [];
  private readonly releasesKept: number;
  /** Unthrottled: calls released and not answered yet, and the answers that widen the window. */
  private inFlight = 0;
  private acceptedTotal = 0;
  /** Per bucket size, the refill rates that fit every stretch so far. */
  private fits: LimitFits = new Map();
  private readonly outside = new OutsidePressure();
  private pausedTotalMs = 0;

  constructor(options: RateGovernorOptions = {}) {
    const given = options.ratePerSecond;
    if (given !== undefined && !(given > 0 && Number.isFinite(given))) throw new RangeError(`rate must be a positive number, got ${given}`);
    this.given = given;
    this.givenPace = given === undefined ? undefined : given * (1 - TUNING.givenHeadroom);
    this.rate = this.givenPace;
    this.ceiling = this.givenPace ?? MAX_RATE;
    this.releasesKept = Math.max(4096, 2 * Math.ceil(given ?? 0));
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Calls per second now in force; undefined while unthrottled. */
  get currentRate(): number | undefined {
    return this.rate;
  }

  /** Milliseconds the whole run has spent paused by 429s. */
  get pausedMs(): number {
    return this.pausedTotalMs;
  }

  /** 429s taken as outside pressure: the run did not pause for them. */
  get outsideRefusals(): number {
    return this.outside.refusals;
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
   * A call was answered 429. `sentAtMs` (when acquire resolved for it) tells the refusal of a call
   * already in flight when the run paused, which is part of the same event, from a new one, and
   * places the refusal where the server saw it; without it, any refusal answered during a pause
   * is taken as part of that pause's event.
   */
  onRateLimited(retryAfterMs?: number, sentAtMs?: number): RefusalVerdict {
    const now = this.nowMs();
    const sentAt = sentAtMs ?? now;
    const sameEvent = sentAtMs !== undefined ? sentAtMs <= this.eventAtMs : now < this.pausedUntil;
    this.outside.noteAnswer({ sentAtMs: sentAt, accepted: false }, now);
    const verdict = sameEvent ? undefined : this.outside.judge(now, () => this.endedStretch());
    if (verdict?.outside === true) {
      // The pauses before outside pressure was seen were most likely its doing too.
      if (verdict.fresh) this.forgetLimit();
      this.settled();
      return 'outside_pressure';
    }
    this.remember({ sentAtMs: sentAt, accepted: false });
    if (sameEvent) {
      // A refusal answered after the pause is stale: the server's wait began before ours did.
      if (retryAfterMs !== undefined && now < this.pausedUntil) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
      this.settled();
      return 'limit';
    }
    this.consecutiveEvents += 1;
    this.previousEventAtMs = this.eventAtMs;
    this.eventAtMs = now;
    this.rateAtEvent = this.rate ?? this.releasedPerSecond(now);
    // Provisional: refit() sets the rate when the pause ends.
    this.rate = Math.min(this.ceiling, this.rateAtEvent > 0 ? this.rateAtEvent / 2 : 1);
    this.refitPending = true;
    const until = Math.max(this.pausedUntil, now + (retryAfterMs ?? this.backoffMs()));
    this.pausedTotalMs += until - Math.max(now, this.pausedUntil);
    this.pausedUntil = until;
    this.settled();
    return 'limit';
  }

  /** The stretch a refusal ends, for OutsidePressure: outside refusals are left out of the fits, the run does not pause, and only the refused call waits. */
  private endedStretch(): EndedStretch {
    return {
      pace: this.rate ?? Infinity,
      accepted: this.answers.filter((answer) => answer.accepted).length,
      ramp: this.rate !== undefined && this.rising === 'slowStart',
    };
  }

  /**
   * The pauses before an outside refusal were most likely outside pressure too, and what they
   * taught is wrong: the pace goes back to where the run began (unthrottled, or --rate's pace),
   * and the limit is learnt again from the next refusal of that pace.
   */
  private forgetLimit(): void {
    if (this.rate === undefined) return;
    this.fits = new Map();
    this.ceiling = this.givenPace ?? MAX_RATE;
    this.rate = this.givenPace;
    this.rising = 'probe';
    this.tokens = TUNING.burst;
  }

  /** A call got any answer but 429 from the server. */
  onAccepted(sentAtMs?: number): void {
    const now = this.nowMs();
    this.remember({ sentAtMs: sentAtMs ?? now, accepted: true });
    this.outside.noteAnswer({ sentAtMs: sentAtMs ?? now, accepted: true }, now);
    if (sentAtMs !== undefined ? sentAtMs > this.eventAtMs : now >= this.pausedUntil) this.consecutiveEvents = 0;
    this.acceptedTotal += 1;
    this.settled();
  }

  /** A call released by acquire ended with no answer from the server (not sent, network error, timeout). */
  onUnanswered(): void {
    this.settled();
  }

  private settled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    // Unthrottled, a free place in the window is what released callers wait for; a 429 that
    // ended the unthrottled start leaves them waiting for the pace, which no new caller may start.
    if (this.waiting.length > 0) void this.dispatch();
  }

  private async dispatch(): Promise<void> {
    if (this.dispatching) return;
    this.dispatching = true;
    // The rate only rises while calls wait for it: idle time proves nothing about the server.
    this.grownAtMs = Math.max(this.grownAtMs, this.nowMs());
    try {
      while (this.waiting.length > 0) {
        const now = this.nowMs();
        const wait = this.waitMs(now);
        // the window is full: the next answer dispatches again (settled)
        if (wait === Infinity) return;
        if (wait > 1e-3) {
          await this.sleep(wait);
          continue;
        }
        if (this.rate !== undefined) this.tokens -= 1;
        this.inFlight += 1;
        this.stretchStartMs ??= now;
        this.releasedAtMs.push(now);
        if (this.releasedAtMs.length > this.releasesKept) this.releasedAtMs.splice(0, this.releasedAtMs.length - this.releasesKept / 2);
        this.waiting.shift()!();
      }
    } finally {
      this.dispatching = false;
    }
  }

  private waitMs(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.rate === undefined) return this.unthrottledWaitMs();
    if (this.refitPending) this.refit(now);
    this.grow(now);
    const since = Math.max(this.refilledAtMs, this.pausedUntil);
    if (now > since) this.tokens = Math.min(TUNING.burst, this.tokens + ((now - since) / 1000) * this.rate);
    this.refilledAtMs = now;
    // Woken often enough to follow a rising rate.
    const tokenWaitMs = this.tokens >= 1 ? 0 : Math.min(((1 - this.tokens) / this.rate) * 1000, TUNING.slowStartDoublingMs / 4);
    return Math.max(tokenWaitMs, this.givenWindowWaitMs(now));
  }

  /**
   * `--rate N` is also a promise that no second holds more than N calls, which the bucket alone
   * breaks by a call when it catches up after a late wake-up or a rising rate.
   */
  private givenWindowWaitMs(now: number): number {
    if (this.given === undefined) return 0;
    const perSecond = Math.max(1, Math.floor(this.given));
    const earliest = this.releasedAtMs[this.releasedAtMs.length - perSecond];
    return earliest === undefined ? 0 : earliest + 1000 - now;
  }

  /**
   * Unthrottled, the first calls go out together, enough to show the server's burst but not a
   * whole herd, and each accepted answer lets one more be in flight: the count doubles every round
   * trip, as fast as the server answers, so a server without a limit is not kept waiting (a ramp on
   * the clock cost a second of every run) while the refusals of one that has one stay few.
   */
  private unthrottledWaitMs(): number {
    return this.inFlight < TUNING.firstBurst + this.acceptedTotal ? 0 : Infinity;
  }

  private grow(now: number): void {
    const from = Math.max(this.grownAtMs, this.pausedUntil);
    this.grownAtMs = Math.max(this.grownAtMs, now);
    if (this.rate === undefined || now <= from) return;
    const seconds = (now - from) / 1000;
    const quiet = now - this.pausedUntil >= TUNING.capDriftQuietSeconds * 1000;
    if (quiet && (this.givenPace === undefined || this.ceiling < this.givenPace)) {
      this.ceiling = Math.min(this.givenPace ?? MAX_RATE, this.ceiling * (1 + TUNING.capDriftPerSecond * seconds));
    }
    const rate = this.rising === 'slowStart' ? this.rate * 2 ** ((seconds * 1000) / TUNING.slowStartDoublingMs) : this.rate + this.probeStep * seconds;
    this.rate = Math.min(rate, this.ceiling);
  }

  /** At the end of the pause: fold the stretch that ended in a refusal into the fits, then set the pace. */
  private refit(now: number): void {
    this.refitPending = false;
    const answers = this.answers;
    const startMs = this.stretchStartMs ?? now;
    this.answers = [];
    this.stretchStartMs = now;
    this.fits = foldStretch(this.fits, answers, startMs);
    const bounds = boundsOf(this.fits);
    const limit = this.givenPace ?? MAX_RATE;
    if (bounds !== undefined && bounds.high <= TUNING.trustedSpan * bounds.low) {
      this.rising = 'probe';
      this.ceiling = Math.min(limit, bounds.high * (1 - TUNING.capMargin));
      const picked = Math.max(
        bounds.low + TUNING.pick * (bounds.high - bounds.low),
        TUNING.provenShare * provenPerSecond(answers, startMs, this.eventAtMs, this.fits),
      );
      this.rate = Math.min(this.ceiling, picked, this.rateAtEvent * (1 - TUNING.minStep));
      this.probeStep = Math.max(0, this.ceiling - bounds.low) / TUNING.probeSeconds;
      if (this.given !== undefined && this.isolated()) this.stepDownFromGiven();
    } else if (this.given === undefined && !this.slowStarted) {
      // Nothing pins the limit yet: from what the server accepted, double until it refuses again.
      this.slowStarted = true;
      this.rising = 'slowStart';
      this.ceiling = Math.min(limit, bounds?.high ?? MAX_RATE);
      this.rate = Math.min(this.ceiling, Math.max(1, bounds?.low ?? 0, Math.min(acceptedPerSecond(answers, startMs, this.eventAtMs), this.rateAtEvent)));
    } else {
      // No bucket explains the refusals well enough: plain multiplicative decrease, additive increase.
      this.rising = 'probe';
      this.ceiling = Math.min(limit, bounds?.high ?? MAX_RATE);
      const accepted = acceptedPerSecond(answers, startMs, this.eventAtMs);
      const sending = Math.min(this.rateAtEvent, accepted > 0 ? accepted : this.rateAtEvent);
      this.rate = Math.min(this.ceiling, Math.max(1, bounds?.low ?? 0, TUNING.fallbackDecrease * sending));
      this.probeStep = TUNING.fallbackIncreasePerSecond * this.rate;
      if (this.given !== undefined && this.isolated()) this.stepDownFromGiven();
    }
    this.grownAtMs = now;
    // One call as the pause ends, then the pace: the server's bucket has refilled, but not for everyone.
    this.tokens = 1;
    this.refilledAtMs = now;
  }

  /**
   * With --rate the operator vouches for the rate, and an isolated refusal is most often jitter
   * (calls held up on the way, then arriving together): step down by a tenth, not to the bottom of
   * a fit that one short stretch cannot narrow, and climb back within recoverSeconds. Should the
   * server's limit really be lower, the next refusal comes soon, is not isolated, and the fits
   * and the fallback take over.
   */
  private isolated(): boolean {
    return this.eventAtMs - this.previousEventAtMs >= TUNING.isolatedSeconds * 1000;
  }

  private stepDownFromGiven(): void {
    // One short stretch can fit a limit below the given rate (calls bunched on the way look like a
    // burst): the ceiling stays the given pace, or the rate could never climb back to it.
    this.ceiling = this.givenPace ?? this.ceiling;
    this.rate = Math.min(this.ceiling, Math.max(this.rate ?? 0, (1 - TUNING.givenStepDown) * this.rateAtEvent));
    this.probeStep = Math.max(this.probeStep, (this.ceiling - this.rate) / TUNING.recoverSeconds);
  }

  private backoffMs(): number {
    return backoffDelay(this.consecutiveEvents, this.random, undefined, TUNING.backoffBaseMs, TUNING.backoffCapMs);
  }

  private remember(answer: Answer): void {
    if (this.stretchStartMs === undefined || answer.sentAtMs < this.stretchStartMs) return;
    let at = this.answers.length;
    while (at > 0 && answeredBefore(answer, this.answers[at - 1]!)) at -= 1;
    this.answers.splice(at, 0, answer);
    if (this.answers.length > TUNING.maxAnswers) this.answers.splice(0, this.answers.length - TUNING.maxAnswers);
  }

  private releasedPerSecond(now: number): number {
    return this.releasedAtMs.filter((at) => at > now - 1000).length;
  }
}
