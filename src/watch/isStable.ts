import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileObservation {
  size: number;
  mtimeMs: number;
}

/** By default, a file whose last change is younger than this is still being written, however the polls fell. */
export const DEFAULT_QUIET_MS = 1_000;

/** Writers name half-written files so; dotfiles are editors' and sync tools' scratch. */
export function isCandidateName(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('.tmp') && !name.endsWith('.partial');
}

/** What inbox/ may hold that is never taken, and said so once (watchFolder.ts). */
export type SkippedKind = 'symlink' | 'dotfile';

/** Our own probes (checkSameFilesystem.ts) pass through inbox/: not worth a word. */
const PROBE_PREFIX = '.iadvize-erasure-probe-';

/** Size and mtime of every candidate regular file in `dir`, by name; symlinks and dotfiles are handed to `onSkipped`. */
export async function observeFolder(dir: string, onSkipped?: (name: string, kind: SkippedKind) => void): Promise<Map<string, FileObservation>> {
  const seen = new Map<string, FileObservation>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) onSkipped?.(entry.name, 'symlink');
    else if (entry.name.startsWith('.') && !entry.name.startsWith(PROBE_PREFIX)) onSkipped?.(entry.name, 'dotfile');
    if (!entry.isFile() || !isCandidateName(entry.name)) continue;
    const observed = await observeFile(join(dir, entry.name));
    if (observed !== undefined) seen.set(entry.name, observed);
  }
  return seen;
}

/** Undefined when the file is gone (another watcher claimed it). */
export async function observeFile(path: string): Promise<FileObservation | undefined> {
  try {
    const stats = await stat(path);
    return { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Unchanged since the previous look, and unchanged for `quietMs`: the writer is done with it. */
export function isStable(previous: FileObservation | undefined, current: FileObservation, nowMs: number, quietMs = DEFAULT_QUIET_MS): boolean {
  return previous !== undefined && previous.size === current.size && previous.mtimeMs === current.mtimeMs && nowMs - current.mtimeMs >= quietMs;
}
