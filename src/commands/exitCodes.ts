import type { ExitCodes, Outcome } from '../outcome/outcome.js';

/** docs/design.md#exit-codes. */
export const EXIT = {
  ok: 0,
  fatal: 1,
  needsPerson: 2,
  failedTargets: 3,
  locked: 4,
  interrupted: 130,
  terminated: 143,
} as const;

const EXIT_FOR_OUTCOME: Record<Outcome, number> = {
  ok: EXIT.ok,
  needs_person: EXIT.needsPerson,
  failed_targets: EXIT.failedTargets,
  fatal: EXIT.fatal,
  interrupted: EXIT.interrupted,
  terminated: EXIT.terminated,
};

export function exitCodeOf(outcome: Outcome): number {
  return EXIT_FOR_OUTCOME[outcome];
}

/** An exit code an earlier watcher recorded; one this version does not know counts as fatal. */
export function outcomeOfExitCode(exitCode: number): Outcome {
  const entry = Object.entries(EXIT_FOR_OUTCOME).find(([, code]) => code === exitCode);
  return entry === undefined ? 'fatal' : (entry[0] as Outcome);
}

export const EXIT_CODES: ExitCodes = { exitCodeOf, outcomeOf: outcomeOfExitCode };
