import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from './syncDirectory.js';
import { writeFully } from './writeFully.js';

/**
 * Writes a file beside its final path, fsyncs it and renames it into place, so a crash leaves
 * either the previous file or the new one, never half of one. Text comes in pieces so a large
 * file never becomes one giant string.
 */
export async function writeFileAtomically(path: string, pieces: Iterable<string>): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    try {
      for (const piece of pieces) await writeFully(handle, Buffer.from(piece, 'utf8'));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}
