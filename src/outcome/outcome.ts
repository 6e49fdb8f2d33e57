/**
 * How a run, a watched file or a verification ended. Only the CLI knows the exit code of each
 * (commands/exitCodes.ts); a record below it that carries one (the ledger's summary, a watched
 * file's summary) gets it from the ExitCodeOf it is handed.
 */
export type Outcome = 'ok' | 'needs_person' | 'failed_targets' | 'fatal' | 'interrupted' | 'terminated';

export type ExitCodeOf = (outcome: Outcome) => number;

/** Both ways: a watched file's summary written by an earlier watcher is read back into an outcome. */
export interface ExitCodes {
  exitCodeOf: ExitCodeOf;
  outcomeOf: (exitCode: number) => Outcome;
}

/** Stopped by SIGINT or SIGTERM: the work is not finished, and the next run resumes it. */
export function isInterruption(outcome: Outcome): boolean {
  return outcome === 'interrupted' || outcome === 'terminated';
}

/** The outcome of a stop signal's reason: SIGINT is an interruption, anything else a termination. */
export function outcomeOfSignal(reason: unknown): Outcome {
  return String(reason) === 'SIGINT' ? 'interrupted' : 'terminated';
}

/** From best to worst: requests needing a person, then failed targets, then a fatal error (or a stop). */
const SEVERITY: Record<Outcome, number> = { ok: 0, needs_person: 1, failed_targets: 2, fatal: 3, interrupted: 3, terminated: 3 };

/** The worse of two outcomes; the first when they are as bad. */
export function worseOutcome(a: Outcome, b: Outcome): Outcome {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}
