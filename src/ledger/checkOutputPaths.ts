import { randomBytes } from 'node:crypto';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asFileSystemError, FileSystemError } from './fileSystemError.js';

/**
 * Before the first API call: each output's folder exists or is created, a file can be created in
 * it (what the ledger's lock, and the report's and plan's atomic writes, need), and the path is
 * a regular file when it exists. Throws a FileSystemError naming the path and the code. Probing by creating a file
 * rather than by access(2) also catches read-only mounts, ACLs and quotas, and works as root.
 */
export async function checkOutputPaths(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw asFileSystemError(error, path);
    });
    if (existing?.isDirectory()) throw new FileSystemError(path, 'EISDIR');
    // A device, FIFO or socket: the atomic writes would rename a file over it (as root, over /dev/null), and the ledger's replay would block on a FIFO.
    if (existing !== undefined && !existing.isFile()) throw new FileSystemError(path, 'not a regular file');
    const directory = dirname(path);
    try {
      await mkdir(directory, { recursive: true });
      const probe = join(directory, `.iadvize-erasure-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      await (await open(probe, 'wx')).close();
      await unlink(probe);
    } catch (error) {
      throw asFileSystemError(error, path);
    }
  }
}
