import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Moves `from` to `to`, replacing `to`. Where they are on different filesystems (EXDEV), copies
 * to a dotfile beside `to`, fsyncs it, renames it into place, then deletes `from`: a crash leaves
 * both copies or a stray dotfile, never neither, and moving again finishes the job. Never use it
 * where only one watcher may win (a claim): the copy is not atomic. False when `from` is missing.
 */
export async function moveFile(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EXDEV') throw error;
  }
  const draft = join(dirname(to), `.${basename(to)}.${process.pid}-${randomBytes(4).toString('hex')}.moving`);
  try {
    await copyFile(from, draft, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const handle = await open(draft, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(draft, to);
  } catch (error) {
    await unlink(draft).catch(() => {});
    throw error;
  }
  await unlink(from).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return true;
}
