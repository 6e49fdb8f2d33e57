import { FileFormatError, RequestFileError } from './requestFileError.js';

/**
 * The RequestFileError to throw for an error met while reading `file`. File-system errors keep only
 * their code; anything else is a bug and is returned unchanged.
 */
export function asRequestFileError(file: string, error: unknown): unknown {
  if (error instanceof RequestFileError) return error;
  if (error instanceof FileFormatError) return new RequestFileError(file, 'unsupported_format', error.message);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new RequestFileError(file, 'unreadable', `cannot be read (${code})`);
  }
  return error;
}
