import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/apiError.js';
import type { RequestStatus } from '../ledger/ledgerEvents.js';
import { LedgerWriteError } from '../ledger/ledgerErrors.js';
import { readLedger } from '../ledger/readLedger.js';
import { summarize, type LedgerCounts } from '../ledger/summarizeLedger.js';
import type { Logger } from '../logging/createLogger.js';
import { LockHeldError } from '../lock/lockHeldError.js';
import { isInterruption, outcomeOfSignal, type ExitCodes, type Outcome } from '../outcome/outcome.js';
import { RequestFileError } from '../requests/requestFileError.js';
import { claimLedgerPath, claimReportPath } from './claimArtifacts.js';
import type { DropFolder } from './dropFolder.js';
import type { EndedFile } from './endedFile.js';
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

/** One erasure run over a claimed file, with the claim's own ledger and report. */
export interface FileRun {
  input: string;
  ledgerPath: string;
  reportPath: string;
  /** Requests resolved again although an earlier run settled them: a row its writer's pause had cut. */
  resolveAgain?: ReadonlySet<string>;
}

export interface FileRunResult {
  outcome: Outcome;
  /** This run's requests by final status, those an earlier run settled included. */
  requests: Partial<Record<RequestStatus, number>>;
  /** The ledger's counts once the run ended: what the file's summary says of targets and held ones. */
  ledger: LedgerCounts;
}

export interface DroppedFileContext {
  folder: DropFolder;
  /**
   * Runs the erasure (the run core's, handed down by the command: watch sits below it), with the
   * run's options as of now, so a default `until` is when the run starts, and a client of its own.
   */
  runFile: (run: FileRun) => Promise<FileRunResult>;
  /** A watched file's summary records its exit code, and recovery reads an earlier watcher's back. */
  exitCodes: ExitCodes;
  logger: Logger;
  stop: AbortSignal;
  deleteInputs: boolean;
  /** What a moved input's mode becomes in done/ or failed/ (settleClaim.ts). */
  fileMode: number;
  webhook?: string;
  /** How long a file must stay unchanged to be taken; a file that changed during its run waits as long again. */
  quietMs: number;
  /** Told of each file once it is put away, or left in processing/ when interrupted. */
  fileEnded?: (ended: EndedFile) => void;
}

/**
 * One claimed file, start to end: a duplicate of an earlier file goes to done/ untouched; any
 * other runs the erasure (context.runFile) with its own ledger and report, which then go with it
 * to done/ (ok or needs_person) or failed/ (fatal or failed_targets). Interrupted, it stays in processing/ for the next watcher to resume.
 * `recovered`: taken over from a watcher that died mid-way; the run resumes the ledger it left
 * under the same claimed name, so finished requests and targets are not sent again.
 * After each run the input's size, mtime and SHA-256 are taken again: a change means its writer
 * was still at work (its writes follow the file into processing/), so once the file is quiet it
 * runs again on the new content, resuming from its ledger, before it is put away.
 * Returns the file's outcome; an error that ends the watcher (a refused token) is rethrown
 * once the file is put away. The caller holds the claim's lock throughout.
 */
export async function processDroppedFile(claimed: string, file: string, context: DroppedFileContext, recovered = false): Promise<Outcome> {
  const { folder, logger, exitCodes } = context;
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
    const summary: FileSummary = {
      ...base,
      sha256: snapshot.sha256,
      outcome: 'duplicate',
      exitCode: exitCodes.exitCodeOf('ok'),
      finishedAt: new Date().toISOString(),
      requests: {},
      targets: {},
      duplicateOf,
    };
    await settleClaim(summary, folder.done, context);
    context.fileEnded?.({ file, claimedAs: claimed, outcome: 'ok', folder: folder.done, summary, inputDeleted: context.deleteInputs });
    return 'ok';
  }

  const ledgerPath = claimLedgerPath(folder, claimed);
  const reportPath = claimReportPath(folder, claimed);
  logger.info(
    { file, claimedAs: claimed, sha256: snapshot.sha256.slice(0, 12), ...(recovered ? { recovered } : {}) },
    recovered ? 'file taken over; its ledger resumes' : 'file claimed',
  );
  let runOutcome: Outcome;
  let thrown: unknown;
  let runs = 0;
  let resolveAgain = new Set<string>();
  /** The last run's requests: every request of the file, those settled before included; not a torn row's phantom an earlier run recorded. */
  let requests: FileRunResult['requests'] | undefined;
  /** The last run's ledger counts; unknown when it threw. */
  let ledgerCounts: LedgerCounts | undefined;
  for (;;) {
    runs += 1;
    thrown = undefined;
    requests = undefined;
    ledgerCounts = undefined;
    try {
      const result = await context.runFile({ input, ledgerPath, reportPath, ...(resolveAgain.size > 0 ? { resolveAgain } : {}) });
      runOutcome = result.outcome;
      requests = result.requests;
      ledgerCounts = result.ledger;
    } catch (error) {
      if (error instanceof LockHeldError) {
        // Someone runs this file's ledger although we hold its claim: only a watcher stalled past
        // the lease can do that. Leave the file to it rather than move it from under its run.
        logger.warn({ file, claimedAs: claimed }, 'the ledger of this file is locked by another run; left in processing/');
        return 'ok';
      }
      thrown = error;
      runOutcome = 'fatal';
    }
    if (isInterruption(runOutcome)) return leftForTheNextWatcher(file, claimed, runOutcome, context);
    if (thrown !== undefined && endsTheWatcher(thrown)) break;
    // The writer may still hold the file open: its writes follow the file into processing/.
    const after = await snapshotInput(input);
    if (!changedDuringRun(snapshot, after, thrown)) break;
    if (runs >= MAX_RUNS) {
      thrown = new RequestFileError(file, 'changed_while_reading', `the file was still changing after ${MAX_RUNS} runs; drop it again once it is complete`);
      runOutcome = 'fatal';
      break;
    }
    logger.warn(
      { file, claimedAs: claimed, runs },
      'the file changed while it was processed (it was still being written): it runs again on its new content, resuming from its ledger, once it is quiet',
    );
    if (!(await waitUntilQuiet(input, context.quietMs, context.stop)))
      return leftForTheNextWatcher(file, claimed, outcomeOfSignal(context.stop.reason), context);
    const previous = snapshot;
    snapshot = await snapshotInput(input);
    resolveAgain = await requestsOfTornLastRow(input, previous, ledgerPath);
    // The content this claim holds is the new one: a later drop of the old half is not its duplicate.
    await releaseContent(folder.state, previous.sha256, holder);
    await reserveContent(folder.state, snapshot.sha256, holder);
  }
  // a run that threw returned no counts: only then is the ledger read again for them
  const fromLedger = ledgerCounts ?? summarize(await readLedger(ledgerPath));
  const counts = { ...fromLedger, requests: requests ?? fromLedger.requests };
  const warnings = Object.keys(counts.requests).length === 0 && thrown === undefined ? [NO_REQUEST_WARNING] : [];
  if (warnings.length > 0) logger.warn({ file, claimedAs: claimed }, NO_REQUEST_WARNING);
  const outcome: FileSummary['outcome'] = runOutcome === 'ok' || runOutcome === 'needs_person' ? 'done' : 'failed';
  const exitCode = exitCodes.exitCodeOf(runOutcome);
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

  const destination = outcome === 'done' ? folder.done : folder.failed;
  await settleClaim(summary, destination, context);
  context.fileEnded?.({ file, claimedAs: claimed, outcome: runOutcome, folder: destination, summary, inputDeleted: context.deleteInputs });
  logger.info({ file, outcome, exitCode, requests: counts.requests, targets: counts.targets }, 'file finished');
  if (thrown !== undefined) {
    if (endsTheWatcher(thrown)) throw thrown;
    // Safe to log: these messages hold names, lines and codes only (src/cli.ts).
    const message = thrown instanceof RequestFileError || thrown instanceof ApiError ? thrown.message : undefined;
    logger.error({ file, error: thrown instanceof Error ? thrown.name : typeof thrown, ...(message !== undefined ? { message } : {}) }, 'file failed');
  }
  return runOutcome;
}

/** Left in processing/ with its ledger and its claim: the next watcher resumes it in place, as after a crash. */
function leftForTheNextWatcher(file: string, claimed: string, outcome: Outcome, context: DroppedFileContext): Outcome {
  context.logger.warn(
    { file, claimedAs: claimed, exitCode: context.exitCodes.exitCodeOf(outcome) },
    'interrupted; the file stays in processing/ and the next watcher resumes it from its ledger',
  );
  context.fileEnded?.({ file, claimedAs: claimed, outcome, folder: context.folder.processing, inputDeleted: false });
  return outcome;
}

/** A refused token or a disk that cannot take the ledger fails every next file too: stop. */
function endsTheWatcher(error: unknown): boolean {
  return (error instanceof ApiError && error.kind === 'unauthorized') || error instanceof LedgerWriteError;
}
