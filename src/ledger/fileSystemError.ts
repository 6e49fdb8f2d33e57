/**
 * A file the tool must write cannot be: the path and the system error code (EACCES, EISDIR,
 * ENOTDIR, ENOSPC, EROFS...), one line for whoever runs it, exit 1 (src/cli.ts).
 */
export class FileSystemError extends Error {
  override readonly name = 'FileSystemError';

  constructor(
    readonly path: string,
    readonly systemCode: string,
    what = 'cannot write',
  ) {
    super(`${what} ${path}: ${systemCode}`);
  }
}

/** A Node system error from the filesystem: it has a code like "ENOSPC" and a syscall. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  const candidate = error as NodeJS.ErrnoException | undefined;
  return candidate instanceof Error && typeof candidate.code === 'string' && /^E[A-Z0-9]+$/.test(candidate.code) && typeof candidate.syscall === 'string';
}

/** A system error as a FileSystemError naming its path (or the one given) and code; anything else as it is. */
export function asFileSystemError(error: unknown, path?: string): unknown {
  if (error instanceof FileSystemError || !isSystemError(error)) return error;
  const where = path ?? error.path;
  return where === undefined ? error : new FileSystemError(where, error.code);
}
