import type { FileHandle } from 'node:fs/promises';
import { FileFormatError } from '../requestFileError.js';
import type { SourceRow } from '../sourceRow.js';
import { openXlsxPackage } from './openXlsxPackage.js';
import { readDateStyles } from './readDateStyles.js';
import { readSharedStrings } from './readSharedStrings.js';
import { readSheetRows } from './readSheetRows.js';
import { readWorkbookStructure, type SheetEntry } from './readWorkbookStructure.js';
import { sheetLabel } from './sheetLabel.js';
import type { XlsxLimits } from './xlsxLimits.js';

/** The one sheet of a workbook that is read, as many times as asked, each time from the file. */
export interface Worksheet {
  /** `sheet "Requests"`, for messages. */
  label: string;
  rows(): AsyncGenerator<SourceRow[]>;
}

/**
 * Opens an .xlsx file's sheet: the one named `sheetName` (case ignored, as Excel does), else the
 * first tab a person sees: a hidden sheet is read only when named, never erased from unseen. Reads the workbook's structure, shared strings and date styles once; the sheet itself
 * is streamed on each call to rows().
 */
export async function openWorksheet(handle: FileHandle, sheetName: string | undefined, limits: XlsxLimits): Promise<Worksheet> {
  const pkg = await openXlsxPackage(handle, limits);
  const structure = await readWorkbookStructure(pkg, limits);
  const position = pickSheet(structure.sheets, sheetName);
  const sheet = structure.sheets[position]!;
  const label = sheetLabel(sheet.name, position + 1);
  const sharedStrings = await readSharedStrings(pkg, structure.sharedStringsPart, limits);
  const dateStyles = await readDateStyles(pkg, structure.stylesPart, limits);
  const context = { part: sheet.part, label, sharedStrings, dateStyles, date1904: structure.date1904, maxNodeChars: limits.xmlNodeChars };
  // the sheet is bounded by the zip's total only: it is streamed, never held
  return { label, rows: () => readSheetRows(pkg.stream(sheet.part, limits.uncompressedBytes), context) };
}

// a message names the sheets there are, not a workbook's hundreds
const MAX_LISTED_SHEETS = 20;

function pickSheet(sheets: readonly SheetEntry[], name: string | undefined): number {
  if (sheets.length === 0) throw new FileFormatError('has no worksheet');
  if (name === undefined) {
    const visible = sheets.findIndex((sheet) => !sheet.hidden);
    if (visible < 0) throw new FileFormatError('has no visible worksheet; name a hidden one with --sheet');
    return visible;
  }
  const wanted = name.trim().toLowerCase();
  const position = sheets.findIndex((sheet) => sheet.name.trim().toLowerCase() === wanted);
  if (position >= 0) return position;
  const names = sheets.slice(0, MAX_LISTED_SHEETS).map((sheet, index) => sheetLabel(sheet.name, index + 1).replace(/^sheet /, ''));
  const more = sheets.length > MAX_LISTED_SHEETS ? ` and ${sheets.length - MAX_LISTED_SHEETS} more` : '';
  throw new FileFormatError(`has no sheet named "${name}" (--sheet); its sheets: ${names.join(', ')}${more}`);
}
