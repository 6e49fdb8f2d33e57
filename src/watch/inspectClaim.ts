import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { guardedNameOf, lockPathOf } from '../lock/lockPath.js';
import { parseLockHolder } from '../lock/runLock.js';
import { claimLedgerPath, isRunArtifact } from './claimArtifacts.js';
import { droppedNameOf } from './claimedName.js';
import { claimLockBase, type DropFolder } from './dropFolder.js';
import type { ClaimView, LockView } from './judgeClaim.js';

/**
 * The claims there are: one per lock in state/claims/, and one per input in processing/ without
 * a lock (claimed by a watcher from before claim locks). Sorted, so watchers go the same way.
 */
export async function listClaims(folder: DropFolder): Promise<string[]> {
  const claims = new Set<string>();
  for (const name of await readdir(folder.claims)) {
    const claimed = guardedNameOf(name);
    if (claimed !== undefined) claims.add(claimed);
  }
  for (const entry of await readdir(folder.processing, { withFileTypes: true })) {
    if (entry.isFile() && droppedNameOf(entry.name) !== undefined && !isRunArtifact(entry.name)) claims.add(entry.name);
  }
  return [...claims].sort();
}

export async function inspectClaim(folder: DropFolder, claimed: string): Promise<ClaimView> {
  const [input, claimLock, ledgerLock] = await Promise.all([
    stat(join(folder.processing, claimed)).catch(ignoreMissing),
    readLockView(lockPathOf(claimLockBase(folder, claimed))),
    readLockView(lockPathOf(claimLedgerPath(folder, claimed))),
  ]);
  return {
    ...(input !== undefined ? { inputChangedMs: input.ctimeMs } : {}),
    ...(claimLock !== undefined ? { claimLock } : {}),
    ...(ledgerLock !== undefined ? { ledgerLock } : {}),
  };
}

/** One handle for stat and read, so both describe the same file (as runLock.ts does). */
async function readLockView(path: string): Promise<LockView | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return ignoreMissing(error);
  }
  try {
    const { mtimeMs } = await handle.stat();
    const holder = parseLockHolder(await handle.readFile('utf8'));
    return { mtimeMs, ...(holder !== undefined ? { holder } : {}) };
  } finally {
    await handle.close();
  }
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
