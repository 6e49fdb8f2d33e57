import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The drop folder's subfolders (README "The drop folder"). */
export interface DropFolder {
  inbox: string;
  processing: string;
  done: string;
  failed: string;
  state: string;
}

export function dropFolderAt(dir: string): DropFolder {
  return {
    inbox: join(dir, 'inbox'),
    processing: join(dir, 'processing'),
    done: join(dir, 'done'),
    failed: join(dir, 'failed'),
    state: join(dir, 'state'),
  };
}

/** Creates whichever subfolders are missing. */
export async function ensureDropFolder(dir: string): Promise<DropFolder> {
  const folder = dropFolderAt(dir);
  for (const path of Object.values(folder)) await mkdir(path, { recursive: true });
  return folder;
}
