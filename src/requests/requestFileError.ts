export type RequestFileErrorCode = 'unreadable' | 'unsupported_format' | 'changed_while_reading';

/** A request file that cannot be used at all. The message names the file and the reason, never a row's content. */
export class RequestFileError extends Error {
  override readonly name = 'RequestFileError';

  constructor(
    readonly file: string,
    readonly code: RequestFileErrorCode,
    readonly reason: string,
  ) {
    super(`request file ${file}: ${reason}`);
  }
}

/** Thrown by the format readers, which do not know the file's name; readRequests turns it into a RequestFileError. */
export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
}
