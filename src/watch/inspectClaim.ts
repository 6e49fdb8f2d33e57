import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockHolder } from '../pipeline/lockHeldError.js';
import { droppedNameOf } from './claimedName.js';
import type { DropFolder } from './dropFolder.js';
import type { ClaimView, LockView } from './judgeClaim.js';

const LOCK_SUFFIX = '.lock';
/** What a run leaves in processing/ beside an input: ledger, report, and the ledger lock's files. */
const NOT_AN_INPUT = /\.(ledger\.jsonl|report\.csv)$|\.ledger\.jsonl\.lock(\.|$)/;

/**
 * The claims there are: one per lock in state/claims/, and one per input in processing/ without
 * a lock (claimed by a watcher from before claim locks). Sorted, so watchers go the same way.
 */
export async function listClaims(folder: DropFolder): Promise<string[]> {
  const claims = new Set<string>();
  for (const name of await readdir(folder.claims)) {
    if (name.endsWith(LOCK_SUFFIX)) claims.add(name.slice(0, -LOCK_SUFFIX.length));
  }
  for (const entry of await readdir(folder.processing, { withFileTypes: true })) {
    if (entry.isFile() && droppedNameOf(entry.name) !== undefined && !NOT_AN_INPUT.test(entry.name)) claims.add(entry.name);
  }
  return [...claims].sort();
}

export async function inspectClaim(folder: DropFolder, claimed: string): Promise<ClaimView> {
  const [input, claimLock, ledgerLock] = await Promise.all([
    stat(join(folder.processing, claimed)).catch(ignoreMissing),
    readLockView(join(folder.claims, `${claimed}${LOCK_SUFFIX}`)),
    readLockView(join(folder.processing, `${claimed}.ledger.jsonl${LOCK_SUFFIX}`)),
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
    const holder = parseHolder(await handle.readFile('utf8'));
    return { mtimeMs, ...(holder !== undefined ? { holder } : {}) };
  } finally {
    await handle.close();
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const { pid, host, startedAt, runId } = JSON.parse(raw) as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
    if (typeof host !== 'string' || typeof startedAt !== 'string' || typeof runId !== 'string') return undefined;
    return { pid, host, startedAt, runId };
  } catch {
    return undefined;
  }
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
