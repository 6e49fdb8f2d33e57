import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../files/syncDirectory.js';
import type { Logger } from '../logging/createLogger.js';
import { ARTIFACT_SUFFIXES } from './claimArtifacts.js';
import type { DropFolder } from './dropFolder.js';
import type { FileSummary } from './fileSummary.js';
import { moveFile } from './moveFile.js';
import { postWebhook } from './postWebhook.js';
import { reportWhereInputIs } from './reportWhereInputIs.js';
import { appendProcessed, readProcessedIndex, releaseContent } from './processedIndex.js';

export interface SettleContext {
  folder: DropFolder;
  logger: Logger;
  deleteInputs: boolean;
  webhook?: string;
  /** The mode a moved input gets (it keeps its own otherwise): 600 by default, as what the tool creates (--umask). */
  fileMode: number;
}

/**
 * Puts a claim away in `destination` (done/ or failed/).
 * The summary is written first, whole (temporary name, fsync, rename): it is the record that the
 * file ended, so a watcher that dies in any later step leaves a claim that recovery finishes with
 * putAway alone, from that summary, rather than running the file again.
 */
export async function settleClaim(summary: FileSummary, destination: string, context: SettleContext): Promise<void> {
  await writeSummary(destination, summary);
  await putAway(summary, destination, context);
}

/**
 * Every step after the summary, each safe to do again: the ledger and report, then the input
 * (and the report written again to name it there), then the index line, the reservation and the
 * webhook. So a webhook can come twice after a crash, never not at all.
 */
export async function putAway(summary: FileSummary, destination: string, context: SettleContext): Promise<void> {
  const { folder } = context;
  const { claimedAs, file, sha256, outcome } = summary;
  for (const suffix of ARTIFACT_SUFFIXES) await moveFile(join(folder.processing, `${claimedAs}${suffix}`), join(destination, `${claimedAs}${suffix}`));
  const input = join(folder.processing, claimedAs);
  if (context.deleteInputs) await rm(input, { force: true });
  else if (await moveFile(input, join(destination, claimedAs))) await chmod(join(destination, claimedAs), context.fileMode);
  // a deleted input is nowhere now: its report keeps the path the run read
  if (!context.deleteInputs) await reportWhereInputIs(folder, claimedAs, destination, Date.parse(summary.finishedAt));
  await syncDirectory(destination);
  await syncDirectory(folder.processing);

  const recorded = (await readProcessedIndex(folder.state)).some((entry) => entry.claimedAs === claimedAs);
  if (!recorded) await appendProcessed(folder.state, { sha256, file, finishedAt: summary.finishedAt, outcome, claimedAs });
  if (outcome === 'failed') await releaseContent(folder.state, sha256, { file, claimedAs });
  if (context.webhook !== undefined) await postWebhook(context.webhook, summary, context.logger, file);
}

/** The summary of a claim that was settled (in done/ or failed/), with where it is. */
export async function readSettledSummary(folder: DropFolder, claimed: string): Promise<{ destination: string; summary: FileSummary } | undefined> {
  for (const destination of [folder.done, folder.failed]) {
    let text: string;
    try {
      text = await readFile(join(destination, `${claimed}.summary.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      return { destination, summary: JSON.parse(text) as FileSummary };
    } catch {
      // written whole by settleClaim, so only damage from elsewhere gets here: run the file again
    }
  }
  return undefined;
}

async function writeSummary(destination: string, summary: FileSummary): Promise<void> {
  const path = join(destination, `${summary.claimedAs}.summary.json`);
  const draft = join(destination, `.${summary.claimedAs}.summary.json.${process.pid}.tmp`);
  const handle = await open(draft, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(summary, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(draft, path);
}
