import { randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { LockHeldError } from '../lock/lockHeldError.js';
import { acquireRunLock, type RunLock } from '../lock/runLock.js';
import { claimedNameFor } from './claimedName.js';
import { claimLockBase, type DropFolder } from './dropFolder.js';
import { LEASE_MS } from './judgeClaim.js';

export interface Claim {
  /** Its name in processing/ (claimedName.ts). */
  claimed: string;
  /** Held, with its heartbeat, until the file is put away: while it lives, no recovery takes the file. */
  lock: RunLock;
}

/**
 * Takes the claim's lock, then moves inbox/<name> to processing/<time>-<pid>-<name>. rename is
 * atomic: of two watchers, one gets the file and the other ENOENT, which returns undefined here.
 * The lock comes first so that a file is never in processing/ without a live lock while its
 * watcher lives (judgeClaim.ts).
 */
export async function claimFile(folder: DropFolder, name: string, nowMs: number): Promise<Claim | undefined> {
  const claimed = claimedNameFor(name, nowMs, process.pid);
  let lock: RunLock;
  try {
    lock = await acquireRunLock(claimLockBase(folder, claimed), randomUUID(), { leaseMs: LEASE_MS });
  } catch (error) {
    // Another host's watcher with our pid claiming the same name in the same millisecond: it won.
    if (error instanceof LockHeldError) return undefined;
    throw error;
  }
  try {
    await rename(join(folder.inbox, name), join(folder.processing, claimed));
    return { claimed, lock };
  } catch (error) {
    await lock.release();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
