export interface VirtualTimeOptions {
  /** Time moves only when slept on, advanced or run, never by itself: exact, for a test of one call. */
  frozen?: boolean;
  /** Where the clock starts (default: the real time when it is made). */
  startMs?: number;
  /**
   * A sleep waits until run() brings the clock to its end, instead of jumping the clock forward at
   * once: several sleepers wake in time order, so a test can play concurrency out on the clock.
   */
  queueSleeps?: boolean;
}

interface Timer {
  at: number;
  order: number;
  wake: () => void;
}

/**
 * The tests' one clock, injected as `nowMs` and `sleep`. By default it runs with real time but
 * jumps forward when slept on: backoffs and run-wide pauses take no real time, and everything that
 * reads the clock (the rate governor) sees them pass.
 */
export class VirtualClock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[] = [];
  private readonly realStartMs = Date.now();
  /** The time now, less the real time passed since the clock was made unless frozen. */
  private baseMs: number;
  private timers: Timer[] = [];
  private order = 0;

  constructor(private readonly options: VirtualTimeOptions = {}) {
    this.baseMs = options.startMs ?? this.realStartMs;
  }

  readonly nowMs = (): number => this.baseMs + (this.options.frozen ? 0 : Date.now() - this.realStartMs);

  get now(): number {
    return this.nowMs();
  }

  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    if (this.options.queueSleeps) return new Promise((wake) => this.timers.push({ at: this.now + Math.max(0, ms), order: this.order++, wake }));
    this.baseMs += Math.max(0, ms);
    return Promise.resolve();
  };

  /** Moves the clock forward by hand; queued sleeps wake only in run(). */
  advance(ms: number): void {
    this.baseMs += Math.max(0, ms);
  }

  /** Wakes every queued sleep due up to `untilMs` in time order, letting promises settle in between, then leaves the clock there. */
  async run(untilMs: number): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.timers[0];
      if (next === undefined || next.at > untilMs) break;
      this.timers.shift();
      this.moveTo(next.at);
      next.wake();
    }
    this.moveTo(untilMs);
  }

  /** Runs `action` when run() brings the clock to `ms`. */
  at(ms: number, action: () => void): void {
    void this.sleep(ms - this.now).then(action);
  }

  private moveTo(ms: number): void {
    // frozen, set exactly: a sum of differences would drift by float rounding
    if (this.options.frozen) this.baseMs = Math.max(this.baseMs, ms);
    else this.baseMs += Math.max(0, ms - this.now);
  }
}

export function virtualTime(options: VirtualTimeOptions = {}): VirtualClock {
  return new VirtualClock(options);
}
