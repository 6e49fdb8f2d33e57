import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { ClientStats, IadvizeClient } from '../api/iadvizeClient.js';
import { VerifyError } from './verifyError.js';
import type { RequestStatus } from '../ledger/ledgerEvents.js';
import { readLedger } from '../ledger/readLedger.js';
import type { Logger } from '../logging/createLogger.js';
import type { ExitCodeOf, Outcome } from '../outcome/outcome.js';
import { acquireRunLock } from '../lock/runLock.js';
import { locateInputs } from './locateInputs.js';
import { planReadBack } from './planReadBack.js';
import { keptByDecision } from './keptByDecision.js';
import { planVerification } from './planVerification.js';
import { readBackRequests } from './readBackRequests.js';
import { reopenRemaining } from './reopenRemaining.js';
import { countResults, outcomeOfVerification, type RequestVerification, type VerifyResult } from './verification.js';
import { verifyInputFile } from './verifyInputFile.js';
import { withReadBack } from './withReadBack.js';
import { writeReadBackReport } from './writeReadBackReport.js';
import { writeVerifyReport } from './writeVerifyReport.js';

export interface VerifyOptions {
  ledgerPath: string;
  /** Input files replacing the paths the ledger recorded; empty: the recorded paths. */
  files: string[];
  reportPath: string;
  /** The CSV of what was read back, per request (writeReadBackReport.ts). */
  readBackReportPath: string;
  /** `--recheck-after`: the wait before reading again a target read back not empty (the mutations only "start" the anonymization). */
  recheckAfterMs: number;
  /** Calls in flight at most. */
  concurrency: number;
  /** Overrides the projects the ledger's runs searched. */
  projectIds?: number[];
  /** Overrides the start of each completing run's interval (ISO). */
  since?: string;
  /** End of the search interval (ISO): now, unless --until. */
  until: string;
  /** Record each `remaining` request as failed in the ledger, so the next run erases it again. */
  reopen: boolean;
}

export interface VerifyDependencies {
  client: IadvizeClient;
  logger: Logger;
  /** For the log line that ends the verification (the CLI's exit codes: commands/exitCodes.ts). */
  exitCodeOf: ExitCodeOf;
  /** The re-check's wait; a timer unless a test gives its own. */
  sleep?: (ms: number) => Promise<void>;
  /** The API checked for these projects before the first check (run/preflight.ts); none in tests that need none. */
  preflight?: (projectIds: readonly number[]) => Promise<void>;
}

export interface VerifySummary {
  outcome: Outcome;
  results: Record<VerifyResult, number>;
  /** Requests not checked because their last status is not `completed`. */
  skipped: Partial<Record<RequestStatus, number>>;
  /** Requests reopened in the ledger (with `reopen`). */
  reopened: number;
  readBack: ReadBackTotals;
  /** The request files read, where they were found (a reopened request is erased again by a run over them). */
  inputs: string[];
  /** The client's counts for this verification: calls, retries, 429s. */
  api: ClientStats;
  durationMs: number;
}

/** Over every request read back; a target two requests share counts for each. */
export interface ReadBackTotals {
  profilesEmpty: number;
  conversationsEmpty: number;
  notRead: number;
  remaining: number;
}

// Requests checked at once per call slot: keeps every slot busy while bounding memory (as run does).
const REQUESTS_PER_SLOT = 4;

/**
 * `iadvize-erasure verify`: re-reads the input of each completed request, looks up whether its
 * texts still match messages and its e-mails and phones still find visitors, reads back the
 * targets the ledger holds as erased (readBackRequests.ts), and writes a CSV verification report
 * and a CSV of what was read back (counts and UUIDs only). Sends no mutation. Writes to the ledger only with `reopen`, under its lock.
 */
export async function verifyLedger(options: VerifyOptions, dependencies: VerifyDependencies): Promise<VerifySummary> {
  const isFile = await stat(options.ledgerPath).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!isFile) throw new VerifyError(`no ledger at ${options.ledgerPath}`);
  const runId = randomUUID();
  const startedAtMs = Date.now();
  // Taken before reading, so no run changes the ledger between what verify reads and what it appends.
  const lock = options.reopen ? await acquireRunLock(options.ledgerPath, runId) : undefined;
  try {
    return await verifyLocked(options, dependencies, runId, startedAtMs);
  } finally {
    await lock?.release();
  }
}

async function verifyLocked(options: VerifyOptions, dependencies: VerifyDependencies, runId: string, startedAtMs: number): Promise<VerifySummary> {
  const { client, logger } = dependencies;
  const state = await readLedger(options.ledgerPath);
  if (state.runs.length === 0) throw new VerifyError(`the ledger ${options.ledgerPath} records no run`);
  if (state.corruptLines.length > 0) logger.warn({ lines: state.corruptLines }, 'ledger lines that could not be read were skipped');

  const inputs = await locateInputs(state.runs, options.files, options.ledgerPath);
  const plan = planVerification(state, inputs, {
    until: options.until,
    kept: await keptByDecision(options.ledgerPath, state),
    ...(options.projectIds !== undefined ? { projectIds: options.projectIds } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
  });
  // Only when there is something to ask: a ledger with nothing to check makes no call.
  if (plan.groups.some((group) => group.checks.size > 0)) await dependencies.preflight?.(plan.projectIds);
  logger.info(
    { files: plan.groups.length, requests: plan.groups.reduce((sum, group) => sum + group.checks.size, 0), projects: plan.projectIds.length },
    'verify started',
  );

  const checked: RequestVerification[] = [];
  const window = Math.max(1, options.concurrency * REQUESTS_PER_SLOT);
  for (const group of plan.groups) {
    checked.push(...(await verifyInputFile(group, { client, projectIds: plan.projectIds, window, logger })));
  }
  const readBacks = await readBackRequests(planReadBack(state.targets, plan.groups, checked), {
    client,
    projectIds: plan.projectIds,
    window,
    recheckAfterMs: options.recheckAfterMs,
    sleep: dependencies.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    logger,
  });
  const verifications: RequestVerification[] = [
    ...plan.notChecked,
    ...checked.map((verification) => withReadBack(verification, readBacks.get(verification.requestId))),
  ];
  await writeVerifyReport(options.reportPath, verifications);
  await writeReadBackReport(options.readBackReportPath, verifications);
  const readBack = readBackTotals(verifications);
  const reopened = options.reopen ? await reopenRemaining(options.ledgerPath, state, verifications, runId) : 0;

  const results = countResults(verifications);
  const outcome = outcomeOfVerification(results);
  logger.info({ ...results, reopened, readBack, exitCode: dependencies.exitCodeOf(outcome), ...client.stats }, 'verify finished');
  return {
    outcome,
    results,
    skipped: plan.skipped,
    reopened,
    readBack,
    inputs: [...new Set(plan.groups.map((group) => group.path))],
    api: { ...client.stats },
    durationMs: Date.now() - startedAtMs,
  };
}

function readBackTotals(verifications: readonly RequestVerification[]): ReadBackTotals {
  const totals: ReadBackTotals = { profilesEmpty: 0, conversationsEmpty: 0, notRead: 0, remaining: 0 };
  for (const { readBack } of verifications) {
    if (readBack === undefined) continue;
    totals.profilesEmpty += readBack.profilesEmpty;
    totals.conversationsEmpty += readBack.conversationsEmpty;
    totals.notRead += readBack.notRead;
    totals.remaining += readBack.remaining.length;
  }
  return totals;
}
