import type { RunEvent } from '../ledger/ledgerEvents.js';

/** A ledger written for another endpoint or account: its outcomes say nothing about this one. */
export class LedgerMismatchError extends Error {
  override readonly name = 'LedgerMismatchError';
}

/**
 * Refuses a ledger whose latest run talked to another endpoint, or searched projects none of which
 * is searched now (another account's): requests it settled were settled there, and would be skipped
 * here. The message names the two endpoints or project lists (neither is a secret).
 */
export function checkLedgerBelongs(
  ledgerPath: string,
  runs: readonly RunEvent[],
  current: { endpoint?: string | undefined; projectIds: readonly number[] },
): void {
  const force = 'pass --force-ledger to use it all the same, or another --ledger';
  const lastEndpoint = runs.findLast((run) => run.endpoint !== undefined)?.endpoint;
  if (current.endpoint !== undefined && lastEndpoint !== undefined && lastEndpoint !== current.endpoint) {
    throw new LedgerMismatchError(`the ledger ${ledgerPath} was written for the endpoint ${lastEndpoint}, not ${current.endpoint}; ${force}`);
  }
  const lastProjects = runs.findLast((run) => Array.isArray(run.options.projectIds))?.options.projectIds as number[] | undefined;
  if (lastProjects !== undefined && lastProjects.length > 0 && !lastProjects.some((projectId) => current.projectIds.includes(projectId))) {
    throw new LedgerMismatchError(
      `the ledger ${ledgerPath} was written for projects ${lastProjects.join(',')}, none of which is searched now ` +
        `(${current.projectIds.join(',')}): another account's? ${force}`,
    );
  }
}
