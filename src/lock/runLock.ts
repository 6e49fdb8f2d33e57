import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, rename, unlink, utimes } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockHeldError, type LockHeldReason, type LockHolder } from './lockHeldError.js';
import { lockPathOf } from './lockPath.js';

export interface RunLockOptions {
  /** Clock for `startedAt` and for the age of garbled files, compared with file mtimes, so keep it near wall time (default Date.now). */
  nowMs?: () => number;
  /** Whether a process of this host still runs (default: signal 0, see isProcessAlive). */
  isProcessAlive?: (pid: number) => boolean;
  /** This host's name as written into and compared with lock files (default os.hostname()). */
  hostname?: string;
  /** How often the holder refreshes the lock file's mtime (default 15 s). */
  heartbeatMs?: number;
  /** A lock not refreshed for this long is stale, whatever its host or pid (default 2 min). */
  leaseMs?: number;
}

export interface RunLock {
  /** lockPathOf(ledgerPath). */
  readonly path: string;
  /** What this run wrote into the lock file. */
  readonly holder: LockHolder;
  /** Deletes the lock file if it is still this run's (same runId); otherwise leaves it alone. */
  release(): Promise<void>;
  /**
   * Stops refreshing the lock and leaves it in place: it goes stale once this process ends (or its
   * lease runs out), so whoever comes next takes over what it guarded, as after a crash.
   */
  abandon(): void;
}

/** A starting run creates the file, then writes it: a reader may see it empty or half written. */
const GARBLED_REREADS = 4;
const GARBLED_REREAD_INTERVAL_MS = 50;
/** Creating and writing take microseconds, so a file still garbled after this long is a crash's leftover. */
const GARBLED_STALE_AFTER_MS = 5_000;
/** A takeover takes milliseconds; a claim this old belongs to a run that hung or died mid-takeover. */
const CLAIM_ABANDONED_AFTER_MS = 10_000;
// A pod that died leaves a lock naming a host that no longer exists, and containers often run as
// pid 1 again: host and pid cannot tell such a lock is dead, a heartbeat that stopped can.
const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_LEASE_MS = 120_000;
const MAX_CLAIM_LEVELS = 8;
const MAX_ATTEMPTS = 20;
const BUSY_BACKOFF_MS = 25;

/**
 * Takes the single-instance lock of the ledger at `ledgerPath` (docs/design.md#exit-codes: exit 4 when another run
 * holds it), creating the ledger's directory if needed. A lock whose process is gone is taken over.
 * Throws LockHeldError when another run holds it.
 */
export async function acquireRunLock(ledgerPath: string, runId: string, options: RunLockOptions = {}): Promise<RunLock> {
  const context: Context = {
    lockPath: lockPathOf(ledgerPath),
    nowMs: options.nowMs ?? Date.now,
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    host: options.hostname ?? osHostname(),
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
  };
  const { lockPath } = context;
  await mkdir(dirname(lockPath), { recursive: true });
  let lastHolder: LockHolder | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const holder: LockHolder = { pid: process.pid, host: context.host, startedAt: new Date(context.nowMs()).toISOString(), runId };
    if (await createExclusive(lockPath, holder, true)) return ownedLock(lockPath, holder, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    const verdict = await judgeLock(context);
    if (verdict.kind === 'held') throw new LockHeldError(lockPath, verdict.reason, verdict.holder);
    if (verdict.kind === 'stale') {
      lastHolder = verdict.holder;
      if ((await takeOver(context, verdict.snapshot)) === 'busy') await sleep(BUSY_BACKOFF_MS);
    }
  }
  throw new LockHeldError(lockPath, 'contended', lastHolder);
}

/**
 * Signal 0 checks that a process exists without touching it: ESRCH means it is gone, EPERM means it
 * runs under another user. Anything else is taken as alive, since wrongly taking over is the worse error.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

interface Context {
  lockPath: string;
  nowMs: () => number;
  isProcessAlive: (pid: number) => boolean;
  host: string;
  leaseMs: number;
}

/** One read of a file together with the identity of the file read, so "the same file, unchanged" can be checked later. */
interface Snapshot {
  raw: string;
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
}

type Verdict = { kind: 'gone' } | { kind: 'held'; reason: LockHeldReason; holder?: LockHolder } | { kind: 'stale'; snapshot: Snapshot; holder?: LockHolder };

function ownedLock(path: string, holder: LockHolder, heartbeatMs: number): RunLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  return {
    path,
    holder,
    abandon() {
      clearInterval(heartbeat);
    },
    async release() {
      clearInterval(heartbeat);
      const current = await readSnapshot(path);
      if (!current || parseLockHolder(current.raw)?.runId !== holder.runId) return;
      await unlink(path).catch(ignoreMissing);
    },
  };
}

/** O_CREAT|O_EXCL: of several processes creating the same path, exactly one succeeds. */
async function createExclusive(path: string, holder: LockHolder, durable: boolean): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    if (durable) await handle.sync();
    await handle.close();
    return true;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

async function judgeLock(context: Context): Promise<Verdict> {
  const { lockPath } = context;
  for (let read = 0; ; read++) {
    let snapshot;
    try {
      snapshot = await readSnapshot(lockPath);
    } catch {
      return { kind: 'held', reason: 'unreadable' };
    }
    if (!snapshot) return { kind: 'gone' };
    const holder = parseLockHolder(snapshot.raw);
    if (holder) {
      if (ageMs(snapshot, context) > context.leaseMs) return { kind: 'stale', snapshot, holder };
      if (holder.host !== context.host) return { kind: 'held', reason: 'other_host', holder };
      if (holder.pid === process.pid) return { kind: 'held', reason: 'own_process', holder };
      if (context.isProcessAlive(holder.pid)) return { kind: 'held', reason: 'running', holder };
      return { kind: 'stale', snapshot, holder };
    }
    if (read >= GARBLED_REREADS) {
      return ageMs(snapshot, context) > GARBLED_STALE_AFTER_MS ? { kind: 'stale', snapshot } : { kind: 'held', reason: 'unreadable' };
    }
    await sleep(GARBLED_REREAD_INTERVAL_MS);
  }
}

/**
 * Removes the stale lock file judged in `judged`, so the caller can retry creating its own.
 *
 * Checking a file and then removing it is not atomic: two runs that both judged the same stale lock
 * could otherwise see one of them remove it and create a fresh lock, and the other then remove that
 * fresh lock. So only the holder of a takeover claim (itself an O_EXCL file) may remove a lock file
 * it did not create, and only after seeing that the path still holds the very file it judged
 * (device, inode, mtime and content). Since nobody else removes lock files meanwhile, the file
 * cannot change between that check and the rename. Claims are only ever deleted by their creator; a
 * claim whose creator died or hung is skipped by claiming the next level instead.
 *
 * Remaining windows: a claimer that stalls longer than CLAIM_ABANDONED_AFTER_MS between its check
 * and its rename can race the next claimer; a starting run that stalls longer than
 * GARBLED_STALE_AFTER_MS between creating its lock file and writing it can lose that file.
 */
async function takeOver(context: Context, judged: Snapshot): Promise<'removed' | 'busy' | 'changed'> {
  const { lockPath } = context;
  const claimPath = await claimTakeover(context);
  if (!claimPath) return 'busy';
  try {
    const current = await readSnapshot(lockPath);
    if (!current || !sameFile(current, judged)) return 'changed';
    const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(lockPath, aside);
    } catch (error) {
      ignoreMissing(error);
      return 'changed';
    }
    const moved = await readSnapshot(aside);
    if (moved && sameFile(moved, judged)) {
      await unlink(aside).catch(ignoreMissing);
      return 'removed';
    }
    // the claim rules out reaching this; if it happens anyway, hand the file back rather than drop someone's lock
    await putBack(aside, lockPath);
    return 'changed';
  } finally {
    await unlink(claimPath).catch(ignoreMissing);
  }
}

async function claimTakeover(context: Context): Promise<string | undefined> {
  const claim: LockHolder = { pid: process.pid, host: context.host, startedAt: new Date(context.nowMs()).toISOString(), runId: randomBytes(8).toString('hex') };
  for (let level = 0; level < MAX_CLAIM_LEVELS; level++) {
    const claimPath = `${context.lockPath}.takeover-${level}`;
    let abandoned = false;
    for (let tries = 0; tries < 3 && !abandoned; tries++) {
      if (await createExclusive(claimPath, claim, false)) return claimPath;
      const other = await readSnapshot(claimPath);
      if (!other) continue;
      if (!isClaimAbandoned(other, context)) return undefined;
      abandoned = true;
    }
    if (!abandoned) return undefined;
  }
  return undefined;
}

function isClaimAbandoned(claim: Snapshot, context: Context): boolean {
  if (ageMs(claim, context) > CLAIM_ABANDONED_AFTER_MS) return true;
  const holder = parseLockHolder(claim.raw);
  return holder !== undefined && holder.host === context.host && holder.pid !== process.pid && !context.isProcessAlive(holder.pid);
}

/** link fails with EEXIST instead of replacing: the file goes back only if the lock path is still free. */
async function putBack(aside: string, lockPath: string): Promise<void> {
  try {
    await link(aside, lockPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return unlink(aside).catch(ignoreMissing);
    // a filesystem without hard links: check, then rename (not atomic, but this path is already a should-not-happen)
    const free = await lstat(lockPath).then(
      () => false,
      () => true,
    );
    if (free) return rename(aside, lockPath);
    return unlink(aside).catch(ignoreMissing);
  }
  await unlink(aside).catch(ignoreMissing);
}

/** Undefined when the file does not exist; one handle for stat and read, so both describe the same file. */
async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    const raw = await handle.readFile('utf8');
    return { raw, dev: stats.dev, ino: stats.ino, mtimeNs: stats.mtimeNs };
  } finally {
    await handle.close();
  }
}

function sameFile(a: Snapshot, b: Snapshot): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.raw === b.raw;
}

function ageMs(snapshot: Snapshot, context: Context): number {
  return context.nowMs() - Number(snapshot.mtimeNs / 1_000_000n);
}

/** What a lock file says, or undefined when it is being written, garbled or not a lock's. */
export function parseLockHolder(raw: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, startedAt, runId } = value as Record<string, unknown>;
  // pid 0 or below would make signal 0 address a process group
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof startedAt !== 'string' || typeof runId !== 'string') return undefined;
  return { pid, host, startedAt, runId };
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
