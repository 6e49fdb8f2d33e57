import { randomUUID } from 'node:crypto';
import { stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockHeldError } from '../lock/lockHeldError.js';
import { lockPathOf } from '../lock/lockPath.js';
import { acquireRunLock, isProcessAlive, type RunLock } from '../lock/runLock.js';
import { isInterruption, type Outcome } from '../outcome/outcome.js';
import { claimLedgerPath } from './claimArtifacts.js';
import { droppedNameOf } from './claimedName.js';
import { claimLockBase } from './dropFolder.js';
import { inspectClaim, listClaims } from './inspectClaim.js';
import { judgeClaim, LEASE_MS } from './judgeClaim.js';
import { processDroppedFile, type DroppedFileContext } from './processDroppedFile.js';
import { putAway, readSettledSummary } from './settleClaim.js';

/**
 * The recovery pass: finds the claims in processing/ that no live watcher works on any more (a
 * watcher killed hard: SIGKILL, OOM, a lost node; judgeClaim.ts), takes each one's claim lock
 * (an O_EXCL file whose stale takeover is safe against other watchers doing the same, runLock.ts)
 * and finishes it: resumes its run in place from its ledger, or, if it had ended, puts it away.
 * Returns the outcome of each file it ran or put away.
 */
export async function recoverClaims(context: DroppedFileContext): Promise<Outcome[]> {
  const { folder, stop } = context;
  const outcomes: Outcome[] = [];
  for (const claimed of await listClaims(folder)) {
    if (stop.aborted) break;
    const liveness = { nowMs: Date.now(), host: hostname(), pid: process.pid, leaseMs: LEASE_MS, isProcessAlive };
    if (judgeClaim(await inspectClaim(folder, claimed), liveness) !== 'orphaned') continue;
    let lock: RunLock;
    try {
      lock = await acquireRunLock(claimLockBase(folder, claimed), randomUUID(), { leaseMs: LEASE_MS });
    } catch (error) {
      // another watcher's recovery took it first
      if (error instanceof LockHeldError) continue;
      throw error;
    }
    let outcome: Outcome = 'fatal';
    try {
      outcome = await takeOver(claimed, context);
      outcomes.push(outcome);
    } finally {
      // Interrupted, the claim stays locked by a lock that goes stale as this watcher exits (watchFolder.ts).
      if (isInterruption(outcome)) lock.abandon();
      else await lock.release();
    }
  }
  return outcomes;
}

async function takeOver(claimed: string, context: DroppedFileContext): Promise<Outcome> {
  const { folder, logger } = context;
  // Judged before we held the lock: look again now that nobody else can act on the claim.
  const settled = await readSettledSummary(folder, claimed);
  if (settled !== undefined) {
    const { summary, destination } = settled;
    logger.warn({ file: summary.file, claimedAs: claimed, outcome: summary.outcome }, 'putting away a file whose watcher stopped after it ended');
    await putAway(summary, destination, context);
    await removeLedgerLock(context, claimed);
    const outcome = summary.outcome === 'done' || summary.outcome === 'failed' ? context.exitCodes.outcomeOf(summary.exitCode) : 'ok';
    context.fileEnded?.({ file: summary.file, claimedAs: claimed, outcome, folder: destination, summary, inputDeleted: context.deleteInputs });
    return outcome;
  }
  const input = await stat(join(folder.processing, claimed)).catch(() => undefined);
  if (input === undefined) {
    // a watcher that died between taking the claim lock and renaming the file, or a claim put away since it was listed
    logger.debug({ claimedAs: claimed }, 'claim lock without a file; removed');
    return 'ok';
  }
  const file = droppedNameOf(claimed) ?? claimed;
  logger.warn({ file, claimedAs: claimed }, 'taking over a file whose watcher stopped mid-way');
  return processDroppedFile(claimed, file, context, true);
}

/** The ledger lock a dead run left, once its file is put away without another run (which would have taken it over). */
async function removeLedgerLock(context: DroppedFileContext, claimed: string): Promise<void> {
  await unlink(lockPathOf(claimLedgerPath(context.folder, claimed))).catch(() => {});
}
