import type { Answer } from './limitEstimate.js';

const TUNING = {
  /**
   * A stretch between pauses that ends in a refusal after fewer accepted calls than an earlier
   * one did at a pace at least this much higher...
   */
  paceStep: 0.9,
  /** ...among the stretches of this long ago at most; and outside pressure is over this long after its last refusal. */
  memorySeconds: 30,
  /**
   * While under outside pressure, past twice the share of refusals seen when it began (within
   * these bounds) over the last recentWindowMs, with at least recentMinAnswers answers, refusals
   * are the limit again: the pace passed the server's limit, or the limit was lowered.
   */
  shareMin: 0.5,
  shareMax: 0.75,
  recentWindowMs: 2000,
  recentMinAnswers: 50,
};

/** How the stretch that a new refusal ends was paced, as the governor knows it. */
export interface EndedStretch {
  /** Calls per second; Infinity unthrottled. */
  pace: number;
  /** Calls accepted in the stretch. */
  accepted: number;
  /** A doubling ramp, whose refusal is no yardstick for later stretches. */
  ramp: boolean;
}

/**
 * Refusals the run's own pace did not cause (an iAdvize account's budget is shared with the
 * customer's other integrations). After a pause of its Retry-After a token bucket holds tokens
 * again, and the slower it is then drained the more calls it accepts before it refuses: a
 * stretch between pauses that ends in a refusal after fewer accepted calls than an earlier one,
 * at a clearly lower pace, is not the bucket's doing. Refusals then come at a share that
 * does not follow the pace: until memorySeconds pass without one, each is outside pressure,
 * unless their share doubles (the pace passed a limit after all).
 */
export class OutsidePressure {
  /** Recent stretches between pauses, but ramps. */
  private stretches: Array<{ pace: number; accepted: number; endedAtMs: number }> = [];
  /** When the last refusal taken as outside pressure came, and the share of refusals when it was first seen. */
  private lastAtMs = -Infinity;
  private shareAtStart = 0;
  /** Every answer of the last recentWindowMs, outside refusals included, by arrival. */
  private readonly recent: Answer[] = [];
  private count = 0;

  /** Refusals taken as outside pressure so far. */
  get refusals(): number {
    return this.count;
  }

  /** Every answer the server gave, accepted or refused, as it arrives. */
  noteAnswer(answer: Answer, nowMs: number): void {
    this.recent.push(answer);
    while (this.recent.length > 0 && this.recent[0]!.sentAtMs <= nowMs - TUNING.recentWindowMs) this.recent.shift();
  }

  /**
   * Whether a refusal that starts a new event (noted already) is outside pressure, given the
   * stretch it ends (asked for only when needed: it counts the stretch's answers). `fresh` is true when it is the first for memorySeconds: what the pauses
   * before it taught about the limit was most likely outside pressure too.
   */
  judge(nowMs: number, endedStretch: () => EndedStretch): { outside: boolean; fresh: boolean } {
    const memoryMs = TUNING.memorySeconds * 1000;
    const share = this.recent.filter((answer) => !answer.accepted).length / this.recent.length;
    let outside: boolean;
    if (nowMs - this.lastAtMs <= memoryMs) {
      const most = Math.min(TUNING.shareMax, Math.max(TUNING.shareMin, 2 * this.shareAtStart));
      outside = this.recent.length < TUNING.recentMinAnswers || share <= most;
    } else {
      this.stretches = this.stretches.filter((earlier) => nowMs - earlier.endedAtMs <= memoryMs);
      const stretch = endedStretch();
      // Strictly fewer: a bucket the pause refilled accepts at least its burst again, and calls
      // bunched on the way drain exactly that (under load, as many as the unthrottled first
      // stretch): such a stretch is the limit's doing, and taking it for outside pressure sent
      // the run back to its unthrottled pace against a real limit, a herd of 429s.
      outside = this.stretches.some((earlier) => stretch.pace <= TUNING.paceStep * earlier.pace && stretch.accepted < earlier.accepted);
      // A doubling ramp's refusal comes far past the limit after a long climb under it: a bucket
      // refuses the next, steadier stretch sooner and at a lower pace. It is no yardstick.
      if (!stretch.ramp) this.stretches.push({ pace: stretch.pace, accepted: stretch.accepted, endedAtMs: nowMs });
      if (outside) this.shareAtStart = share;
    }
    if (!outside) return { outside, fresh: false };
    const fresh = nowMs - this.lastAtMs > memoryMs;
    this.lastAtMs = nowMs;
    this.count += 1;
    return { outside, fresh };
  }
}
