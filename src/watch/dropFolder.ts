import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The drop folder's subfolders (docs/operating.md#watch-dir-the-drop-folder). */
export interface DropFolder {
  inbox: string;
  processing: string;
  done: string;
  failed: string;
  state: string;
  /** state/claims/: one lock per file in processing/, held by the watcher working on it. */
  claims: string;
}

export function dropFolderAt(dir: string): DropFolder {
  const state = join(dir, 'state');
  return {
    inbox: join(dir, 'inbox'),
    processing: join(dir, 'processing'),
    done: join(dir, 'done'),
    failed: join(dir, 'failed'),
    state,
    claims: join(state, 'claims'),
  };
}

/** Creates whichever subfolders are missing. */
export async function ensureDropFolder(dir: string): Promise<DropFolder> {
  const folder = dropFolderAt(dir);
  for (const path of Object.values(folder)) await mkdir(path, { recursive: true });
  return folder;
}

/** What a claim's lock guards: its lock file is lockPathOf of this (acquireRunLock adds the suffix). */
export function claimLockBase(folder: DropFolder, claimed: string): string {
  return join(folder.claims, claimed);
}
