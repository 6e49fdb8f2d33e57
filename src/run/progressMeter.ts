import { etaSeconds } from './etaSeconds.js';

/** What the run counts, read at each redraw. */
export interface Progress {
  /** Requests finished or skipped (settled by an earlier run); one cut short by a stop is not. */
  requestsResolved: number;
  /** Undefined until every input file was read once, and under --shard (requestTotal.ts). */
  requestsTotal: number | undefined;
  targetsDone: number;
  /** Targets found so far, earlier runs' included: it grows as requests are resolved. */
  targetsFound: number;
}

/** What the progress line shows at one moment. */
export interface ProgressView extends Progress {
  elapsedMs: number;
  /** Undefined until the rate has been measured over a second. */
  requestsPerSecond: number | undefined;
  etaSeconds: number | undefined;
}

/** The rate is that of the last 30 s: the run's start (reading the files, the first searches) soon stops weighing on it. */
const RATE_WINDOW_MS = 30_000;
const MIN_RATE_SPAN_MS = 1000;

/**
 * Turns the counts read at each redraw into what the line shows: never a smaller number than one
 * shown before (a request cut short by a stop leaves the counts), a total never below what is
 * resolved, the rate over the last 30 s and an ETA from it.
 */
export class ProgressMeter {
  #shown: Progress = { requestsResolved: 0, requestsTotal: undefined, targetsDone: 0, targetsFound: 0 };
  /** (time, requests resolved) at each reading of the last RATE_WINDOW_MS, oldest first. */
  #samples: { atMs: number; resolved: number }[];

  constructor(private readonly startedAtMs: number) {
    this.#samples = [{ atMs: startedAtMs, resolved: 0 }];
  }

  /** The view at `nowMs`; `final`: the run's end, the rate over the whole run and no ETA. */
  read(progress: Progress, nowMs: number, final = false): ProgressView {
    const shown = this.#monotonic(progress);
    const elapsedMs = Math.max(0, nowMs - this.startedAtMs);
    this.#samples.push({ atMs: nowMs, resolved: shown.requestsResolved });
    while (this.#samples.length > 2 && this.#samples[1]!.atMs <= nowMs - RATE_WINDOW_MS) this.#samples.shift();
    const since = final ? { atMs: this.startedAtMs, resolved: 0 } : this.#samples[0]!;
    const spanMs = nowMs - since.atMs;
    const requestsPerSecond = spanMs >= MIN_RATE_SPAN_MS ? ((shown.requestsResolved - since.resolved) * 1000) / spanMs : undefined;
    return {
      ...shown,
      elapsedMs,
      requestsPerSecond,
      etaSeconds: final ? undefined : etaSeconds(shown.requestsResolved, shown.requestsTotal, requestsPerSecond, elapsedMs),
    };
  }

  #monotonic(progress: Progress): Progress {
    const before = this.#shown;
    const requestsResolved = Math.max(before.requestsResolved, progress.requestsResolved);
    const known = progress.requestsTotal ?? before.requestsTotal;
    const targetsDone = Math.max(before.targetsDone, progress.targetsDone);
    this.#shown = {
      requestsResolved,
      // a total pass 1 counted low (two ids of one hash count as one) is never shown below what is resolved
      requestsTotal: known === undefined ? undefined : Math.max(known, before.requestsTotal ?? 0, requestsResolved),
      targetsDone,
      targetsFound: Math.max(before.targetsFound, progress.targetsFound, targetsDone),
    };
    return this.#shown;
  }
}
