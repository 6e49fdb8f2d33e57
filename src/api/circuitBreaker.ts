export interface CircuitBreakerOptions {
  /** How many of the most recent calls are judged. */
  window?: number;
  /** The breaker opens when more than this share of a full window failed. */
  failureRatio?: number;
}

export type CallOutcome = 'success' | 'failure';

/**
 * Stops a run that is only producing failures: each call that still failed after its retries
 * counts against the last `window` calls. It never closes again: a run that tripped it stops
 * sending, flushes and exits, and a re-run resumes once the cause is fixed.
 */
export class CircuitBreaker {
  private readonly window: number;
  private readonly failureRatio: number;
  /** The last `window` outcomes, oldest first; true for a failure. */
  private readonly recent: boolean[] = [];
  private failures = 0;
  private opened: string | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    this.window = options.window ?? 20;
    this.failureRatio = options.failureRatio ?? 0.5;
    if (!Number.isInteger(this.window) || this.window < 1) throw new RangeError(`window must be a positive integer, got ${this.window}`);
    if (!(this.failureRatio >= 0 && this.failureRatio < 1)) throw new RangeError(`failureRatio must be in [0, 1), got ${this.failureRatio}`);
  }

  record(outcome: CallOutcome): void {
    if (this.opened !== undefined) return;
    const failed = outcome === 'failure';
    this.recent.push(failed);
    if (failed) this.failures += 1;
    if (this.recent.length > this.window && this.recent.shift() === true) this.failures -= 1;
    if (this.recent.length === this.window && this.failures > this.failureRatio * this.window) {
      this.opened = `${this.failures} of the last ${this.window} calls failed after retries`;
    }
  }

  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** Why the breaker opened, for the message the run exits with; empty while closed. */
  get reason(): string {
    return this.opened ?? '';
  }
}
