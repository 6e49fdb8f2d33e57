/**
 * Checks, chunk by chunk, that a file's bytes are text in one encoding, and keeps the line of the
 * first byte that is not. Lines are counted by LF, as the format readers count them.
 */
export interface TextChecker {
  push(chunk: Buffer): void;
  /** The end of the file: a character it cuts in two is a bad byte too. */
  end(): void;
  /** 1-based line of the first bad byte, once one was found; the checker then reads nothing more. */
  readonly firstBadLine: number | undefined;
}

const LF = 0x0a;

/** The number of LF bytes in the bytes. */
export function countLineFeeds(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(LF); index !== -1; index = bytes.indexOf(LF, index + 1)) count++;
  return count;
}
