import type { RequestStatus } from '../ledger/ledgerEvents.js';

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

/** Failed targets outrank held requests: a re-run is the next step, then a person's decision. */
export function exitCodeForStatuses(statuses: Iterable<RequestStatus>): number {
  let code: number = EXIT.ok;
  for (const status of statuses) {
    if (status === 'failed') return EXIT.failedTargets;
    if (status === 'rejected' || status === 'needs_review') code = EXIT.needsPerson;
  }
  return code;
}

/** Stopped by SIGINT or SIGTERM: the work is not finished, and the next run resumes it. */
export function isInterruption(exitCode: number): boolean {
  return exitCode === EXIT.interrupted || exitCode === EXIT.terminated;
}
