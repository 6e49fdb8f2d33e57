import type { FileHandle } from 'node:fs/promises';
import { HashedFileReader } from './hashedFileReader.js';
import type { RowCountsByHash } from './repeatedRequestIds.js';
import { RowTally } from './rowTally.js';
import { FileFormatError } from './requestFileError.js';
import type { RowReader } from './sourceRow.js';
import type { TextChecker } from './textChecker.js';
import type { TextEncoding } from './textEncoding.js';
import { transcodeToUtf8 } from './transcodeToUtf8.js';
import { Utf16Checker } from './utf16Checker.js';
import { Utf8Checker } from './utf8Checker.js';
import { Windows1252Checker } from './windows1252Checker.js';

export interface RequestFileScan {
  sha256: string;
  bytes: number;
  /** Hash of request_id → number of rows, for the ids (or colliding hashes) found on more than one row. */
  rowsOfRepeatedIds: RowCountsByHash;
  unknownColumns: string[];
  /** Requests pass 2 will give: a row each, the rows sharing a request_id as one (two ids of one hash count as one). */
  requests: number;
  /** The encoding pass 2 must read the file in. */
  encoding: TextEncoding;
  /** Set when the file is read as Windows-1252 because it is not UTF-8: the line of its first byte that is not. */
  notUtf8FromLine?: number;
}

/**
 * How pass 1 reads the file: in this encoding (from `--encoding` or a byte order mark), checked to be
 * text in it unless it is Windows-1252, where every byte is a character; or, undefined, as UTF-8 if
 * it is, else as Windows-1252 if it decodes cleanly as that.
 */
export type ScanEncoding = TextEncoding | undefined;

/**
 * Pass 1: reads every row without validating it, to learn which request_ids span several rows, and
 * hashes the file; on the way, checks its encoding. Throws FileFormatError naming the line of the
 * first bad byte when the file is not text in its encoding.
 */
export async function scanRequestFile(handle: FileHandle, readRows: RowReader, encoding: ScanEncoding): Promise<RequestFileScan> {
  if (encoding !== undefined) {
    const checker = checkerFor(encoding);
    const scan = await scanAs(handle, readRows, encoding, checker);
    if (scan === undefined) throw new FileFormatError(`line ${checker?.firstBadLine} is not valid ${LABELS[encoding]}`);
    return scan;
  }
  const utf8 = new Utf8Checker();
  const asUtf8 = await scanAs(handle, readRows, 'utf-8', utf8);
  if (asUtf8 !== undefined) return asUtf8;
  const notUtf8FromLine = utf8.firstBadLine;
  // Text that is UTF-8 up to a bad byte is damaged UTF-8: read as Windows-1252, its accents would come out as "Ã©".
  const asWindows1252 = utf8.sawMultibyte ? undefined : await scanAs(handle, readRows, 'windows-1252', new Windows1252Checker());
  if (asWindows1252 !== undefined) return { ...asWindows1252, notUtf8FromLine };
  throw new FileFormatError(`line ${notUtf8FromLine} is not valid UTF-8 and the file is not Windows-1252 either; save it as "CSV UTF-8" or pass --encoding`);
}

const LABELS: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

function checkerFor(encoding: TextEncoding): TextChecker | undefined {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Checker();
    case 'utf-16le':
    case 'utf-16be':
      return new Utf16Checker(encoding);
    case 'windows-1252':
      return undefined;
  }
}

/** Reads the file from its start in one encoding; undefined once the checker finds a bad byte, where the rows stop. */
async function scanAs(handle: FileHandle, readRows: RowReader, encoding: TextEncoding, checker: TextChecker | undefined): Promise<RequestFileScan | undefined> {
  const reader = new HashedFileReader(handle);
  const tally = new RowTally();
  const chunks = checker === undefined ? reader.chunks() : checkedChunks(reader.chunks(), checker);
  try {
    for await (const rows of readRows(transcodeToUtf8(chunks, encoding))) tally.add(rows);
  } catch (error) {
    // the rows cut short at a bad byte may not read: the bad byte is what to report
    if (checker?.firstBadLine === undefined) throw error;
  }
  if (checker?.firstBadLine !== undefined) return undefined;
  return {
    ...(await reader.finish()),
    rowsOfRepeatedIds: tally.rowsOfRepeatedIds(),
    unknownColumns: tally.unknownColumns(),
    requests: tally.requests(),
    encoding,
  };
}

/** The chunks, each checked before it is handed on; they stop before the chunk holding the first bad byte. */
async function* checkedChunks(chunks: AsyncIterable<Buffer>, checker: TextChecker): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    checker.push(chunk);
    if (checker.firstBadLine !== undefined) return;
    yield chunk;
  }
  checker.end();
}
