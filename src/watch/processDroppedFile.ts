import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import { LedgerWriteError } from '../ledger/ledgerErrors.js';
import { readLedger } from '../ledger/readLedger.js';
import { summarize } from '../ledger/summarizeLedger.js';
import type { Logger } from '../logging/createLogger.js';
import { EXIT, isInterruption } from '../pipeline/exitCodes.js';
import { LockHeldError } from '../lock/lockHeldError.js';
import { runErasure, type RunOptions, type RunResult } from '../pipeline/runErasure.js';
import { RequestFileError } from '../requests/requestFileError.js';
import { claimLedgerPath, claimReportPath } from './claimArtifacts.js';
import type { DropFolder } from './dropFolder.js';
import type { FileSummary } from './fileSummary.js';
import { changedDuringRun, snapshotInput } from './inputSnapshot.js';
import { earlierDone, readProcessedIndex, releaseContent, reserveContent } from './processedIndex.js';
import { settleClaim } from './settleClaim.js';
import { requestsOfTornLastRow } from './tornLastRow.js';
import { waitUntilQuiet } from './waitUntilQuiet.js';

export type { FileSummary } from './fileSummary.js';

/** A file still changing after this many runs is failed rather than run for ever. */
const MAX_RUNS = 5;
const NO_REQUEST_WARNING = 'the file holds no request: it is empty or has a header only';

export interface DroppedFileContext {
  folder: DropFolder;
  /** The run's options for this file, its paths aside; built when the file starts (so `until` is now). */
  runOptions: (nowMs: number) => RunOptions;
  client: () => IadvizeClient;
  logger: Logger;
  version: string;
  piiKey?: string;
  stop: AbortSignal;
  deleteInputs: boolean;
  /** What a moved input's mode becomes in done/ or failed/ (settleClaim.ts). */
  fileMode: number;
  webhook?: string;
  /** How long a file must stay unchanged to be taken; a file that changed during its run waits as long again. */
  quietMs: number;
}

/**
 * One claimed file, start to end: a duplicate of an earlier file goes to done/ untouched; any
 * other runs through runErasure with its own ledger and report, which then go with it to done/
 * (exit 0 or 2) or failed/ (1 or 3). Interrupted, it stays in processing/ for the next watcher to resume.
 * `recovered`: taken over from a watcher that died mid-way; the run resumes the ledger it left
 * under the same claimed name, so finished requests and targets are not sent again.
 * After each run the input's size, mtime and SHA-256 are taken again: a change means its writer
 * was still at work (its writes follow the file into processing/), so once the file is quiet it
 * runs again on the new content, resuming from its ledger, before it is put away.
 * Returns the file's exit code; an error that ends the watcher (a refused token) is rethrown
 * once the file is put away. The caller holds the claim's lock throughout.
 */
export async function processDroppedFile(claimed: string, file: string, context: DroppedFileContext, recovered = false): Promise<number> {
  const { folder, logger } = context;
  const startedAt = new Date().toISOString();
  const input = join(folder.processing, claimed);
  // It holds personal data: the owner's only from now on, as in done/ (a rename keeps the mode it was dropped with).
  await chmod(input, context.fileMode);
  let snapshot = await snapshotInput(input);
  const holder = { file, claimedAs: claimed };
  const base = { file, claimedAs: claimed, startedAt, ...(recovered ? { recovered: true as const } : {}) };

  const earlier = earlierDone(await readProcessedIndex(folder.state), snapshot.sha256);
  const reservation = earlier === undefined ? await reserveContent(folder.state, snapshot.sha256, holder) : undefined;
  // A reservation naming this very claim is one its first watcher made before it died.
  const heldByOther = reservation?.reserved === false && reservation.heldBy.claimedAs !== claimed;
  const duplicateOf = earlier?.file ?? (heldByOther ? reservation.heldBy.file : undefined);
  if (duplicateOf !== undefined) {
    logger.info({ file, sha256: snapshot.sha256.slice(0, 12), duplicateOf }, 'duplicate of an earlier file; not processed again');
    const summary: FileSummary = { ...base, sha256: snapshot.sha256, outcome: 'duplicate', exitCode: EXIT.ok, finishedAt: new Date().toISOString(), requests: {}, targets: {}, duplicateOf };
    await settleClaim(summary, folder.done, context);
    return EXIT.ok;
  }

  const ledgerPath = claimLedgerPath(folder, claimed);
  const reportPath = claimReportPath(folder, claimed);
  logger.info({ file, claimedAs: claimed, sha256: snapshot.sha256.slice(0, 12), ...(recovered ? { recovered } : {}) }, recovered ? 'file taken over; its ledger resumes' : 'file claimed');
  let exitCode: number;
  let thrown: unknown;
  let runs = 0;
  let resolveAgain = new Set<string>();
  /** The last run's requests: every request of the file, those settled before included; not a torn row's phantom an earlier run recorded. */
  let requests: RunResult['requests'] | undefined;
  for (;;) {
    runs += 1;
    thrown = undefined;
    requests = undefined;
    try {
      const result = await runErasure(
        { ...context.runOptions(Date.now()), files: [input], ledgerPath, reportPath, ...(resolveAgain.size > 0 ? { resolveAgain } : {}) },
        { client: context.client(), logger, version: context.version, stop: context.stop, ...(context.piiKey !== undefined ? { piiKey: context.piiKey } : {}) },
      );
      exitCode = result.exitCode;
      requests = result.requests;
    } catch (error) {
      if (error instanceof LockHeldError) {
        // Someone runs this file's ledger although we hold its claim: only a watcher stalled past
        // the lease can do that. Leave the file to it rather than move it from under its run.
        logger.warn({ file, claimedAs: claimed }, 'the ledger of this file is locked by another run; left in processing/');
        return EXIT.ok;
      }
      thrown = error;
      exitCode = EXIT.fatal;
    }
    if (isInterruption(exitCode)) return leftForTheNextWatcher(file, claimed, exitCode, logger);
    if (thrown !== undefined && endsTheWatcher(thrown)) break;
    // The writer may still hold the file open: its writes follow the file into processing/.
    const after = await snapshotInput(input);
    if (!changedDuringRun(snapshot, after, thrown)) break;
    if (runs >= MAX_RUNS) {
      thrown = new RequestFileError(file, 'changed_while_reading', `the file was still changing after ${MAX_RUNS} runs; drop it again once it is complete`);
      exitCode = EXIT.fatal;
      break;
    }
    logger.warn({ file, claimedAs: claimed, runs }, 'the file changed while it was processed (it was still being written): it runs again on its new content, resuming from its ledger, once it is quiet');
    if (!(await waitUntilQuiet(input, context.quietMs, context.stop))) return leftForTheNextWatcher(file, claimed, stopExitCode(context.stop), logger);
    const previous = snapshot;
    snapshot = await snapshotInput(input);
    resolveAgain = await requestsOfTornLastRow(input, previous, ledgerPath);
    // The content this claim holds is the new one: a later drop of the old half is not its duplicate.
    await releaseContent(folder.state, previous.sha256, holder);
    await reserveContent(folder.state, snapshot.sha256, holder);
  }
  const ledgerCounts = summarize(await readLedger(ledgerPath));
  const counts = { ...ledgerCounts, requests: requests ?? ledgerCounts.requests };
  const warnings = Object.keys(counts.requests).length === 0 && thrown === undefined ? [NO_REQUEST_WARNING] : [];
  if (warnings.length > 0) logger.warn({ file, claimedAs: claimed }, NO_REQUEST_WARNING);
  const outcome: FileSummary['outcome'] = exitCode === EXIT.ok || exitCode === EXIT.needsPerson ? 'done' : 'failed';
  const summary: FileSummary = {
    ...base,
    // what the runs read: the content as it was when the last run started, and is still
    sha256: snapshot.sha256,
    outcome,
    exitCode,
    finishedAt: new Date().toISOString(),
    ...counts,
    ...(runs > 1 ? { runs } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(thrown !== undefined ? { error: thrown instanceof Error ? thrown.name : typeof thrown } : {}),
  };

  await settleClaim(summary, outcome === 'done' ? folder.done : folder.failed, context);
  logger.info({ file, outcome, exitCode, requests: counts.requests, targets: counts.targets }, 'file finished');
  if (thrown !== undefined) {
    if (endsTheWatcher(thrown)) throw thrown;
    // Safe to log: these messages hold names, lines and codes only (src/cli.ts).
    const message = thrown instanceof RequestFileError || thrown instanceof ApiError ? thrown.message : undefined;
    logger.error({ file, error: thrown instanceof Error ? thrown.name : typeof thrown, ...(message !== undefined ? { message } : {}) }, 'file failed');
  }
  return exitCode;
}

/** Left in processing/ with its ledger and its claim: the next watcher resumes it in place, as after a crash. */
function leftForTheNextWatcher(file: string, claimed: string, exitCode: number, logger: Logger): number {
  logger.warn({ file, claimedAs: claimed, exitCode }, 'interrupted; the file stays in processing/ and the next watcher resumes it from its ledger');
  return exitCode;
}

function stopExitCode(stop: AbortSignal): number {
  return String(stop.reason) === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

/** A refused token or a disk that cannot take the ledger fails every next file too: stop. */
function endsTheWatcher(error: unknown): boolean {
  return (error instanceof ApiError && error.kind === 'unauthorized') || error instanceof LedgerWriteError;
}
