import { EXIT } from './exitCodes.js';

/** What each exit code of a command means to whoever reads it (docs/design.md#exit-codes), in code order. */
export type ExitCodeMeanings = ReadonlyMap<number, string>;

const SIGNALS: [number, string][] = [
  [EXIT.interrupted, 'interrupted by SIGINT (Ctrl-C) after flushing the ledger; the same command resumes'],
  [EXIT.terminated, 'terminated by SIGTERM after flushing the ledger; the same command resumes'],
];

/** run, plan and apply: a run's outcome. */
export const RUN_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'nothing left to do or decide'],
  [EXIT.fatal, 'usage, configuration or fatal error (a refused token included)'],
  [EXIT.needsPerson, 'finished, but some requests need a person (rejected, needs_review)'],
  [EXIT.failedTargets, 'finished with failed targets, or the circuit breaker stopped it; a re-run retries (outranks 2)'],
  [EXIT.locked, "another run holds the ledger's lock (<ledger>.lock)"],
  ...SIGNALS,
]);

/** watch: with --once, the worst outcome of its files (1 > 3 > 2 > 0); without, it runs until a signal. */
export const WATCH_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'with --once: every file ended with nothing left to do'],
  [EXIT.fatal, 'usage or configuration error, a refused token, or (--once) a file that ended in a fatal error'],
  [EXIT.needsPerson, 'with --once: some requests of a file need a person (its report in done/ says which)'],
  [EXIT.failedTargets, 'with --once: a file went to failed/ (failed targets); drop it again to retry (outranks 2)'],
  [EXIT.interrupted, 'interrupted by SIGINT (Ctrl-C); the file under way stays in processing/ and is resumed'],
  [EXIT.terminated, 'terminated by SIGTERM; the file under way stays in processing/ and is resumed'],
]);

export const VERIFY_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'every completed request checked is clean'],
  [EXIT.fatal, 'usage, configuration or fatal error (no ledger, an unrecorded file, a refused token)'],
  [EXIT.needsPerson, 'nothing found, but some requests could not be checked (not_checked, failed): look at them'],
  [EXIT.failedTargets, 'something still found for a request (outranks 2); with --reopen, the next run erases it'],
  [EXIT.locked, "another run holds the ledger's lock (--reopen only)"],
]);

export const REVIEW_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'stopped by Ctrl-C or SIGTERM; what the page applied is in the ledger'],
  [EXIT.fatal, 'usage or configuration error, or a plan or ledger that cannot be read'],
]);

export const DOCTOR_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'every check passed (the schema part is skipped when the API refuses introspection)'],
  [EXIT.fatal, 'a check failed, or a usage error'],
]);

export const REPORT_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'the report is written'],
  [EXIT.fatal, 'usage error, or a file that cannot be read or written'],
]);

export const SIMULATOR_EXIT_CODES: ExitCodeMeanings = new Map([
  [EXIT.ok, 'stopped by Ctrl-C or SIGTERM'],
  [EXIT.fatal, 'a bad flag, a port in use, or a dataset that cannot be read'],
]);
