import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../files/syncDirectory.js';

export type FileOutcome = 'done' | 'failed' | 'duplicate';

/** One line of state/processed.jsonl. */
export interface ProcessedEntry {
  sha256: string;
  /** The name the file was dropped under. */
  file: string;
  finishedAt: string;
  outcome: FileOutcome;
  /** Its name in done/ or failed/ (absent from lines written before 0.1.0's crash recovery). */
  claimedAs?: string;
}

export const INDEX_FILE = 'processed.jsonl';

/** The entries of state/processed.jsonl; a torn or unreadable line is skipped. */
export async function readProcessedIndex(stateDir: string): Promise<ProcessedEntry[]> {
  let text: string;
  try {
    text = await readFile(join(stateDir, INDEX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: ProcessedEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as ProcessedEntry);
    } catch {
      // a line torn by a crash
    }
  }
  return entries;
}

/**
 * One short O_APPEND write a line, so lines of watchers sharing the folder do not interleave; then
 * fdatasync, so a crash cannot lose the record that a file is done (a re-drop would run it again).
 */
export async function appendProcessed(stateDir: string, entry: ProcessedEntry): Promise<void> {
  const handle = await open(join(stateDir, INDEX_FILE), 'a');
  let created: boolean;
  try {
    created = (await handle.stat()).size === 0;
    await handle.appendFile(`${JSON.stringify(entry)}\n`, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (created) await syncDirectory(stateDir);
}

/** The earlier file with this content that was processed successfully, if any. */
export function earlierDone(entries: ProcessedEntry[], sha256: string): ProcessedEntry | undefined {
  return entries.find((entry) => entry.sha256 === sha256 && entry.outcome === 'done');
}

/** What state/sha256/<sha> says: the file that holds the content, and its claim. */
export interface Reservation {
  file: string;
  /** Absent in reservations written before crash recovery (they held the file name only). */
  claimedAs?: string;
}

/**
 * Reserves a content for this claim: creates state/sha256/<sha> exclusively. Two watchers that
 * claimed two copies of one file at once both miss the index; only one gets the reservation.
 * Returns who holds it when it was already taken (by another claim, or by this very claim
 * before a crash: the caller compares claimedAs).
 */
export async function reserveContent(
  stateDir: string,
  sha256: string,
  holder: Required<Reservation>,
): Promise<{ reserved: true } | { reserved: false; heldBy: Reservation }> {
  const dir = join(stateDir, 'sha256');
  await mkdir(dir, { recursive: true });
  const path = join(dir, sha256);
  // Written whole under a name of its own, then linked into place: link fails if the path exists,
  // and a crash can never leave a reservation empty or half written (it would name nobody).
  const draft = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, JSON.stringify(holder), 'utf8');
  try {
    // A reservation freed between our link and our read is tried again, a few times at most.
    for (let attempt = 1; ; attempt++) {
      try {
        await link(draft, path);
        return { reserved: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const heldBy = await readReservation(path);
        if (heldBy !== undefined || attempt >= 3) return { reserved: false, heldBy: heldBy ?? { file: '' } };
      }
    }
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/**
 * Frees a content whose file failed, so dropping it again processes it again.
 * Only this claim's own reservation: another copy may hold it by now. Safe to check then delete:
 * only the claim's holder (the watcher holding its claim lock) frees it.
 */
export async function releaseContent(stateDir: string, sha256: string, holder: Required<Reservation>): Promise<void> {
  const path = join(stateDir, 'sha256', sha256);
  const current = await readReservation(path);
  if (current === undefined) return;
  const mine = current.claimedAs === undefined ? current.file === holder.file : current.claimedAs === holder.claimedAs;
  if (mine) await unlink(path).catch(() => {});
}

/** Undefined when there is none. */
async function readReservation(path: string): Promise<Reservation | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<Reservation>;
    if (typeof value.file === 'string') return { file: value.file, ...(typeof value.claimedAs === 'string' ? { claimedAs: value.claimedAs } : {}) };
  } catch {
    // written by an older version: the file name alone
  }
  return { file: text };
}
