import { appendFile, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export type FileOutcome = 'done' | 'failed' | 'duplicate';

/** One line of state/processed.jsonl. */
export interface ProcessedEntry {
  sha256: string;
  /** The name the file was dropped under. */
  file: string;
  finishedAt: string;
  outcome: FileOutcome;
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

/** One short O_APPEND write a line, so lines of watchers sharing the folder do not interleave. */
export async function appendProcessed(stateDir: string, entry: ProcessedEntry): Promise<void> {
  await appendFile(join(stateDir, INDEX_FILE), `${JSON.stringify(entry)}\n`, 'utf8');
}

/** The earlier file with this content that was processed successfully, if any. */
export function earlierDone(entries: ProcessedEntry[], sha256: string): ProcessedEntry | undefined {
  return entries.find((entry) => entry.sha256 === sha256 && entry.outcome === 'done');
}

/**
 * Reserves a content for this watcher: creates state/sha256/<sha> exclusively. Two watchers
 * that claimed two copies of one file at once both miss the index; only one gets the reservation.
 * Returns the name of the file holding it when another already does.
 */
export async function reserveContent(stateDir: string, sha256: string, file: string): Promise<{ reserved: true } | { reserved: false; heldBy: string }> {
  const dir = join(stateDir, 'sha256');
  await mkdir(dir, { recursive: true });
  const path = join(dir, sha256);
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(file, 'utf8');
    } finally {
      await handle.close();
    }
    return { reserved: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const heldBy = await readFile(path, 'utf8').catch(() => '');
    return { reserved: false, heldBy };
  }
}

/** Frees a content whose file failed or was interrupted, so dropping it again processes it again. */
export async function releaseContent(stateDir: string, sha256: string): Promise<void> {
  await unlink(join(stateDir, 'sha256', sha256)).catch(() => {});
}
