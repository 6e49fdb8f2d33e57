import { link, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import { LedgerWriteError } from '../ledger/ledgerErrors.js';
import type { RequestStatus, TargetStatus } from '../ledger/ledgerEvents.js';
import { readLedger } from '../ledger/readLedger.js';
import { summarize } from '../ledger/summarizeLedger.js';
import type { Logger } from '../logging/createLogger.js';
import { EXIT } from '../pipeline/exitCodes.js';
import { runErasure, type RunOptions } from '../pipeline/runErasure.js';
import { RequestFileError } from '../requests/requestFileError.js';
import { sha256OfFile } from '../requests/sha256OfFile.js';
import type { DropFolder } from './dropFolder.js';
import { postWebhook } from './postWebhook.js';
import { appendProcessed, earlierDone, readProcessedIndex, releaseContent, reserveContent, type FileOutcome } from './processedIndex.js';

/** `<name>.summary.json`: counts and times only, never a row of the file. */
export interface FileSummary {
  /** The name the file was dropped under. */
  file: string;
  /** Its name in processing/, done/ or failed/, and the prefix of its ledger and report. */
  claimedAs: string;
  sha256: string;
  outcome: FileOutcome | 'interrupted';
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  /** Set on a duplicate: the name of the earlier file with the same content. */
  duplicateOf?: string;
  /** Set when the run ended on an error: its name only. */
  error?: string;
}

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
  webhook?: string;
}

/**
 * One claimed file, start to end: a duplicate of an earlier file goes to done/ untouched; any
 * other runs through runErasure with its own ledger and report, which then go with it to done/
 * (exit 0 or 2) or failed/ (1 or 3). Interrupted, it goes back to inbox/ for the next watcher.
 * Returns the file's exit code; an error that ends the watcher (a refused token) is rethrown
 * once the file is put away.
 */
export async function processDroppedFile(claimed: string, file: string, context: DroppedFileContext): Promise<number> {
  const { folder, logger } = context;
  const startedAt = new Date().toISOString();
  const input = join(folder.processing, claimed);
  const sha256 = await sha256OfFile(input);
  const base = { file, claimedAs: claimed, sha256, startedAt };

  const earlier = earlierDone(await readProcessedIndex(folder.state), sha256);
  const reservation = earlier === undefined ? await reserveContent(folder.state, sha256, file) : undefined;
  const duplicateOf = earlier?.file ?? (reservation?.reserved === false ? reservation.heldBy : undefined);
  if (duplicateOf !== undefined) {
    logger.info({ file, sha256: sha256.slice(0, 12), duplicateOf }, 'duplicate of an earlier file; not processed again');
    const summary: FileSummary = { ...base, outcome: 'duplicate', exitCode: EXIT.ok, finishedAt: new Date().toISOString(), requests: {}, targets: {}, duplicateOf };
    await settle(claimed, folder.done, summary, [], context);
    return EXIT.ok;
  }

  const ledgerPath = join(folder.processing, `${claimed}.ledger.jsonl`);
  const reportPath = join(folder.processing, `${claimed}.report.csv`);
  const artifacts = [`${claimed}.ledger.jsonl`, `${claimed}.report.csv`];
  logger.info({ file, claimedAs: claimed, sha256: sha256.slice(0, 12) }, 'file claimed');
  let exitCode: number;
  let thrown: unknown;
  try {
    const result = await runErasure(
      { ...context.runOptions(Date.now()), files: [input], ledgerPath, reportPath },
      { client: context.client(), logger, version: context.version, stop: context.stop, ...(context.piiKey !== undefined ? { piiKey: context.piiKey } : {}) },
    );
    exitCode = result.exitCode;
  } catch (error) {
    thrown = error;
    exitCode = EXIT.fatal;
  }
  const counts = summarize(await readLedger(ledgerPath));
  const interrupted = exitCode === EXIT.interrupted || exitCode === EXIT.terminated;
  const outcome: FileSummary['outcome'] = interrupted ? 'interrupted' : exitCode === EXIT.ok || exitCode === EXIT.needsPerson ? 'done' : 'failed';
  const summary: FileSummary = {
    ...base,
    outcome,
    exitCode,
    finishedAt: new Date().toISOString(),
    ...counts,
    ...(thrown !== undefined ? { error: thrown instanceof Error ? thrown.name : typeof thrown } : {}),
  };

  if (interrupted) {
    // Not finished: the input goes back for the next watcher; the partial ledger is kept in failed/ for the record.
    await putBack(input, folder.inbox, file, claimed);
    await moveArtifacts(artifacts, folder.failed, context);
    await writeFile(join(folder.failed, `${claimed}.summary.json`), `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
    await releaseContent(folder.state, sha256);
    logger.warn({ file, exitCode }, 'interrupted; the file is back in inbox/');
  } else {
    await settle(claimed, outcome === 'done' ? folder.done : folder.failed, summary, artifacts, context);
    if (outcome === 'failed') await releaseContent(folder.state, sha256);
    logger.info({ file, outcome, exitCode, requests: counts.requests, targets: counts.targets }, 'file finished');
  }
  if (thrown !== undefined) {
    if (endsTheWatcher(thrown)) throw thrown;
    // Safe to log: these messages hold names, lines and codes only (src/cli.ts).
    const message = thrown instanceof RequestFileError || thrown instanceof ApiError ? thrown.message : undefined;
    logger.error({ file, error: thrown instanceof Error ? thrown.name : typeof thrown, ...(message !== undefined ? { message } : {}) }, 'file failed');
  }
  return exitCode;
}

/** Puts the input (or deletes it) and its artifacts in `destination`, writes the summary, records it, tells the webhook. */
async function settle(claimed: string, destination: string, summary: FileSummary, artifacts: string[], context: DroppedFileContext): Promise<void> {
  const input = join(context.folder.processing, claimed);
  if (context.deleteInputs) await rm(input, { force: true });
  else await rename(input, join(destination, claimed));
  await moveArtifacts(artifacts, destination, context);
  await writeFile(join(destination, `${claimed}.summary.json`), `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
  await appendProcessed(context.folder.state, { sha256: summary.sha256, file: summary.file, finishedAt: summary.finishedAt, outcome: summary.outcome === 'duplicate' ? 'duplicate' : summary.outcome === 'done' ? 'done' : 'failed' });
  if (context.webhook !== undefined) await postWebhook(context.webhook, summary, context.logger, summary.file);
}

async function moveArtifacts(artifacts: string[], destination: string, context: DroppedFileContext): Promise<void> {
  for (const name of artifacts) {
    await rename(join(context.folder.processing, name), join(destination, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Back to inbox/ under its dropped name, unless a new file took that name meanwhile (link fails rather than replace). */
async function putBack(input: string, inbox: string, file: string, claimed: string): Promise<void> {
  try {
    await link(input, join(inbox, file));
    await unlink(input);
  } catch {
    await rename(input, join(inbox, claimed));
  }
}

/** A refused token or a disk that cannot take the ledger fails every next file too: stop. */
function endsTheWatcher(error: unknown): boolean {
  return (error instanceof ApiError && error.kind === 'unauthorized') || error instanceof LedgerWriteError;
}
