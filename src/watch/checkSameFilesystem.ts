import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DropFolderError } from './dropFolderError.js';
import type { DropFolder } from './dropFolder.js';

/**
 * Renames a probe (a dotfile, which no watcher takes) from processing/ to each folder files move
 * to. inbox/ must be reachable by rename (EXDEV otherwise, even between two mounts of one
 * filesystem): claiming is a rename, whose atomicity is what keeps two watchers from taking one
 * file, so a layout where it cannot be one is refused. done/ and failed/ may be elsewhere: moves
 * there fall back to copying (moveFile.ts). Returns the folders reached only by copying.
 */
export async function checkSameFilesystem(folder: DropFolder): Promise<string[]> {
  const copiedInto: string[] = [];
  for (const [name, dir] of [
    ['inbox', folder.inbox],
    ['done', folder.done],
    ['failed', folder.failed],
  ] as const) {
    const probe = `.iadvize-erasure-probe-${process.pid}-${randomBytes(4).toString('hex')}`;
    const start = join(folder.processing, probe);
    await writeFile(start, '', 'utf8');
    try {
      await rename(start, join(dir, probe));
      await unlink(join(dir, probe)).catch(() => {});
    } catch (error) {
      await unlink(start).catch(() => {});
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      if (name === 'inbox') {
        throw new DropFolderError(
          `inbox/ (${folder.inbox}) and processing/ (${folder.processing}) are on different filesystems or mounts: ` +
            `a file is claimed by renaming it from one to the other, which must be atomic; put the drop folder on one filesystem`,
        );
      }
      copiedInto.push(dir);
    }
  }
  return copiedInto;
}
