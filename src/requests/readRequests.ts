import { open, type FileHandle } from 'node:fs/promises';
import type { CountryCode } from 'libphonenumber-js';
import { asRequestFileError } from './asRequestFileError.js';
import { detectCsvDelimiter } from './detectCsvDelimiter.js';
import { detectFileFormat, type FileFormat } from './detectFileFormat.js';
import type { ReadOutcome } from './personRequest.js';
import { HashedFileReader } from './hashedFileReader.js';
import type { DateOrder } from './receivedAtInstant.js';
import { readCsvRows } from './readCsvRows.js';
import { readJsonRows } from './readJsonRows.js';
import { readNdjsonRows } from './readNdjsonRows.js';
import { changedWhileReading } from './changedWhileReading.js';
import { isWorkbook } from './detectWorkbook.js';
import { readWorkbookRequests } from './readWorkbookRequests.js';
import { requestMergerFor } from './requestMergerFor.js';
import type { RequestFileWarning } from './requestFileWarning.js';
import { scanRequestFile } from './scanRequestFile.js';
import type { RowReader } from './sourceRow.js';
import { encodingOfByteOrderMark, headAsUtf8, type TextEncoding } from './textEncoding.js';
import { transcodeToUtf8 } from './transcodeToUtf8.js';

// The pipeline takes both from here: the SHA-256 for the run event, then the requests.
export { sha256OfFile } from './sha256OfFile.js';

export interface ReadRequestsOptions {
  /** ISO 3166 alpha-2 country for national phone numbers ("FR"); without it, a national number is rejected. */
  defaultCountry?: CountryCode;
  /**
   * `--encoding`: read the file in this encoding. Without it: the one its byte order mark names, else UTF-8,
   * else Windows-1252 if the file decodes cleanly as that.
   */
  encoding?: TextEncoding;
  /** `--date-order`: how a received_at with the year last (03/04/2026) is read; default day first. */
  dateOrder?: DateOrder;
  /** `--sheet`: the sheet of an .xlsx file to read (default: its first visible one); text files have none, and ignore it. */
  sheet?: string;
  /** Called for what was read otherwise than written, without a value: a file read as Windows-1252, a received_at ignored. */
  onWarning?: (warning: RequestFileWarning) => void;
  /** Called once per file with the column names that matched no known column (they are ignored). */
  onUnknownColumns?: (file: string, columns: string[]) => void;
  /** What rows without request_id are named after, `<idBase>:L<line>` (default: the file's name). */
  idBase?: string;
  /** Called once pass 1 has read the file, with the number of requests pass 2 will give (the progress line's total). */
  onCounted?: (requests: number) => void;
  /** The SHA-256 the file had when the run recorded it: the file is refused, before any request, if it changed since. */
  expectedSha256?: string;
}

const HEAD_SIZE = 64 * 1024;

/**
 * Reads a request file (CSV, JSON array, NDJSON, or an .xlsx workbook's sheet) into validated requests, the rows sharing a request_id
 * merged, in the order requests complete. Reads the file twice so that memory does not grow with it:
 * pass 1 finds the request_ids spanning several rows, pass 2 validates and merges.
 * Throws RequestFileError when the file as a whole cannot be used, or changed between the two passes.
 */
export async function* readRequests(file: string, options: ReadRequestsOptions = {}): AsyncGenerator<ReadOutcome> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const head = await readHead(handle);
    if (isWorkbook(file, head)) {
      yield* readWorkbookRequests(file, handle, options);
      return;
    }
    const encoding = options.encoding ?? encodingOfByteOrderMark(head);
    const text = headAsUtf8(head, encoding ?? 'utf-8');
    const readRows = rowReaderFor(detectFileFormat(file, text), text);

    const scan = await scanRequestFile(handle, readRows, encoding);
    if (scan.notUtf8FromLine !== undefined) {
      options.onWarning?.({
        file,
        line: scan.notUtf8FromLine,
        message: 'the file is not UTF-8 from this line on; it is read as Windows-1252 (--encoding chooses)',
      });
    }
    if (scan.unknownColumns.length > 0) options.onUnknownColumns?.(file, scan.unknownColumns);

    if ((await handle.stat()).size !== scan.bytes) throw changedWhileReading(file);
    if (options.expectedSha256 !== undefined && scan.sha256 !== options.expectedSha256) throw changedWhileReading(file);
    options.onCounted?.(scan.requests);
    const reader = new HashedFileReader(handle);
    const merger = requestMergerFor(file, scan.rowsOfRepeatedIds, options);
    for await (const rows of readRows(transcodeToUtf8(reader.chunks(), scan.encoding))) {
      for (const outcome of merger.merge(rows)) yield outcome;
    }
    if ((await reader.finish()).sha256 !== scan.sha256) throw changedWhileReading(file);
    // Unreachable when both passes read the same bytes; yielded rather than lost all the same.
    yield* merger.leftovers();
  } catch (error) {
    throw asRequestFileError(file, error);
  } finally {
    await handle?.close();
  }
}

function rowReaderFor(format: FileFormat, head: Buffer): RowReader {
  switch (format) {
    case 'csv': {
      const delimiter = detectCsvDelimiter(head);
      return (chunks) => readCsvRows(chunks, delimiter);
    }
    case 'json':
      return readJsonRows;
    case 'ndjson':
      return readNdjsonRows;
  }
}

async function readHead(handle: FileHandle): Promise<Buffer> {
  const buffer = Buffer.alloc(HEAD_SIZE);
  const { bytesRead } = await handle.read(buffer, 0, HEAD_SIZE, 0);
  return buffer.subarray(0, bytesRead);
}
