/**
 * What an .xlsx file may cost to read: it is untrusted input, a zip whose parts could inflate without
 * end. Only the sheet read is streamed; the shared strings, the styles and the workbook's small parts
 * are held in memory, each within its cap, so memory stays bounded whatever the file holds.
 */
export interface XlsxLimits {
  /** The file itself: a request file larger than this is not a spreadsheet someone keeps by hand. */
  fileBytes: number;
  /** Parts in the zip: a workbook of requests has a dozen or two. */
  entries: number;
  /** All parts once inflated, as the zip declares them (yauzl refuses a part that inflates past its declared size). */
  uncompressedBytes: number;
  /** The shared strings table, inflated: it is held in memory for the whole read. */
  sharedStringsBytes: number;
  /** Every other part read whole (content types, relationships, workbook, styles), inflated. */
  partBytes: number;
  /** XML characters read without the parser reaching the end of a tag or text: what it may buffer at once. */
  xmlNodeChars: number;
}

export const MAX_XLSX_FILE_BYTES = 50 * 1024 * 1024;

export const XLSX_LIMITS: XlsxLimits = {
  fileBytes: MAX_XLSX_FILE_BYTES,
  entries: 10_000,
  uncompressedBytes: 1024 * 1024 * 1024,
  sharedStringsBytes: 128 * 1024 * 1024,
  partBytes: 16 * 1024 * 1024,
  xmlNodeChars: 1024 * 1024,
};

/** "50 MiB" (or "4 KiB" below a mebibyte), for messages. */
export function mebibytes(bytes: number): string {
  const [size, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${Math.round(size * 10) / 10} ${unit}`;
}
