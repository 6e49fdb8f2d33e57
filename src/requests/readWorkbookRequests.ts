import type { FileHandle } from 'node:fs/promises';
import { changedWhileReading } from './changedWhileReading.js';
import { HashedFileReader } from './hashedFileReader.js';
import type { ReadOutcome } from './personRequest.js';
import type { ReadRequestsOptions } from './readRequests.js';
import { FileFormatError } from './requestFileError.js';
import { requestMergerFor } from './requestMergerFor.js';
import { RowTally } from './rowTally.js';
import { openWorksheet } from './xlsx/openWorksheet.js';
import { mebibytes, XLSX_LIMITS, type XlsxLimits } from './xlsx/xlsxLimits.js';

/**
 * readRequests for an .xlsx file: its sheet read twice, as a text file is (pass 1 finds the request_ids
 * spanning several rows, pass 2 validates and merges), each row's line its sheet row. The file is
 * hashed whole before and after: a zip is read in any order, so the bytes read are those of the file
 * only if it is the same throughout.
 */
export async function* readWorkbookRequests(
  file: string,
  handle: FileHandle,
  options: ReadRequestsOptions,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<ReadOutcome> {
  const { size } = await handle.stat();
  if (size > limits.fileBytes) {
    throw new FileFormatError(
      `is larger than ${mebibytes(limits.fileBytes)}, the most an .xlsx request file may be; split it, or save it as "CSV UTF-8" (a CSV file may be any size)`,
    );
  }
  const before = await new HashedFileReader(handle).finish();
  if (options.expectedSha256 !== undefined && before.sha256 !== options.expectedSha256) throw changedWhileReading(file);

  const sheet = await openWorksheet(handle, options.sheet, limits);
  const tally = new RowTally();
  for await (const rows of sheet.rows()) tally.add(rows);
  options.onCounted?.(tally.requests());
  const unknownColumns = tally.unknownColumns();
  if (unknownColumns.length > 0) options.onUnknownColumns?.(file, unknownColumns);

  const merger = requestMergerFor(file, tally.rowsOfRepeatedIds(), options);
  for await (const rows of sheet.rows()) {
    for (const outcome of merger.merge(rows)) yield outcome;
  }
  const after = await new HashedFileReader(handle).finish();
  if (after.sha256 !== before.sha256 || after.bytes !== size) throw changedWhileReading(file);
  yield* merger.leftovers();
}
