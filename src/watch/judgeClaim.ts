import type { LockHolder } from '../lock/lockHeldError.js';

/**
 * A lock not refreshed for this long is stale whoever holds it: runLock.ts's default lease (its
 * heartbeat refreshes a lock every 15 s), used for claim locks too, so both age alike.
 */
export const LEASE_MS = 120_000;

/** One look at a lock file (runLock.ts): what it says, and when its holder last refreshed it. */
export interface LockView {
  /** Undefined when the file is being written or garbled. */
  holder?: LockHolder;
  mtimeMs: number;
}

/** One look at a claim in processing/: its input, its claim lock and its ledger's run lock. */
export interface ClaimView {
  /** When processing/<claimed> last changed status (the claim's rename sets its ctime); undefined when it is not there. */
  inputChangedMs?: number;
  /** state/claims/<claimed>.lock: taken before the claim's rename, released once the file is put away. */
  claimLock?: LockView;
  /** processing/<claimed>.ledger.jsonl.lock: held while the erasure runs. */
  ledgerLock?: LockView;
}

export interface Liveness {
  nowMs: number;
  host: string;
  /** This process: a lock naming it is one a previous container left (pid 1 again), or this very watcher's. */
  pid: number;
  /** A lock not refreshed for this long is stale whatever its holder (runLock.ts: 2 min). */
  leaseMs: number;
  isProcessAlive: (pid: number) => boolean;
}

/** Whether the lock's holder may still be working: the same rules as acquireRunLock's, erring on "live". */
export function isLockLive(lock: LockView | undefined, liveness: Liveness): boolean {
  if (lock === undefined) return false;
  if (liveness.nowMs - lock.mtimeMs > liveness.leaseMs) return false;
  const { holder } = lock;
  // Being written, another host we cannot check, or our own pid (acquireRunLock refuses that until the lease ends).
  if (holder === undefined || holder.host !== liveness.host || holder.pid === liveness.pid) return true;
  return liveness.isProcessAlive(holder.pid);
}

/**
 * `live`: a watcher may still be working on it, leave it. `orphaned`: nobody is; take its claim
 * lock and finish it. `gone`: put away since it was listed.
 *
 * The claim lock exists from before the claim's rename until after the file is put away, so a
 * live watcher's claim always shows a live lock: no window between claiming and locking the
 * ledger. A claim with no claim lock at all is one made by a watcher without claim locks (an
 * older version): it is left alone until its input has been in processing/ longer than a lease.
 */
export function judgeClaim(claim: ClaimView, liveness: Liveness): 'live' | 'orphaned' | 'gone' {
  if (isLockLive(claim.claimLock, liveness) || isLockLive(claim.ledgerLock, liveness)) return 'live';
  if (claim.claimLock !== undefined) return 'orphaned';
  if (claim.inputChangedMs === undefined) return 'gone';
  return liveness.nowMs - claim.inputChangedMs > liveness.leaseMs ? 'orphaned' : 'live';
}
