import { RequestFileError } from '../requests/requestFileError.js';
import { sha256OfFile } from '../requests/sha256OfFile.js';
import { observeFile, type FileObservation } from './isStable.js';

/** What a claimed input was when a run started on it: a writer still at work changes one of the three. */
export interface InputSnapshot extends FileObservation {
  sha256: string;
}

/** Size and mtime first, then the bytes: a write between the two shows in the next snapshot's size, mtime or hash. */
export async function snapshotInput(path: string): Promise<InputSnapshot> {
  const observed = await observeFile(path);
  if (observed === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT', path });
  return { ...observed, sha256: await sha256OfFile(path) };
}

export function sameSnapshot(a: InputSnapshot, b: InputSnapshot): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;
}

/**
 * Whether the run did not see the file whole: it changed between the snapshot taken before the
 * run and the one after (the run may have finished on the first bytes), or the run itself found
 * it changing between its two passes (`changed_while_reading`). Either way it must run again.
 */
export function changedDuringRun(before: InputSnapshot, after: InputSnapshot, thrown: unknown): boolean {
  return !sameSnapshot(before, after) || (thrown instanceof RequestFileError && thrown.code === 'changed_while_reading');
}
