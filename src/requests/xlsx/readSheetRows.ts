import { canonicalColumn, type RequestField } from '../columnAliases.js';
import { FileFormatError } from '../requestFileError.js';
import type { SourceRow } from '../sourceRow.js';
import { columnIndexOf, columnLetters } from './columnIndex.js';
import { excelSerialInstant } from './excelSerialInstant.js';
import { plainNumberText } from './plainNumberText.js';
import { RichTextCollector } from './richTextCollector.js';
import { XmlPartParser } from './xmlPartParser.js';

/** What a sheet's cells are read with: the workbook's tables, and how messages name the sheet. */
export interface SheetContext {
  /** Its part in the zip, named by parse errors. */
  part: string;
  /** `sheet "Requests"`, for warnings. */
  label: string;
  sharedStrings: readonly string[];
  /** By cell style index: whether a number in it is a date serial. */
  dateStyles: readonly boolean[];
  date1904: boolean;
  maxNodeChars: number;
}

interface CellInProgress {
  column: number | undefined;
  type: string;
  style: number;
  hasFormula: boolean;
  value: string | undefined;
  inline: string | undefined;
}

interface RowInProgress {
  line: number;
  values: string[];
  problems: string[];
  warnings: string[];
}

/**
 * Reads a worksheet's rows as a CSV file's: the first row with a value is the header, each later row
 * with a value a row whose line is its sheet row number; rows with none are skipped, and cells under
 * no header ignored. Cells read as Excel holds them: text as text, a number digit for digit, a date
 * (a number in a date format, or any number under received_at) as an ISO instant, a boolean as TRUE
 * or FALSE, a formula as its saved result. Of a merged range only the first cell holds the value, as
 * in Excel's own CSV export. Streamed: what it holds is one row, and the shared strings it is given.
 */
export async function* readSheetRows(chunks: AsyncIterable<Buffer>, context: SheetContext): AsyncGenerator<SourceRow[]> {
  const rows: SourceRow[] = [];
  let header: string[] | undefined;
  let fields: (RequestField | undefined)[] = [];
  let row: RowInProgress | undefined;
  let cell: CellInProgress | undefined;
  let previousLine = 0;
  let previousColumn = -1;
  let valueParts: string[] | undefined;
  let inInline = false;
  const inline = new RichTextCollector();

  const endCell = (done: CellInProgress) => {
    const { column } = done;
    if (row === undefined || column === undefined) return;
    if (header === undefined) {
      const text = cellText(done, context);
      if (typeof text === 'string') row.values[column] = text.trim();
      return;
    }
    if (column >= header.length) return;
    const field = fields[column];
    const read = cellText(done, context, field);
    if (typeof read === 'string') row.values[column] = read;
    else if (field !== undefined) {
      const where = `${field} (column ${columnLetters(column)})`;
      if ('problem' in read) row.problems.push(`${where} ${read.problem}`);
      else {
        row.values[column] = read.text;
        row.warnings.push(`${field} in column ${columnLetters(column)} of ${context.label} ${read.warning}`);
      }
    } else if ('text' in read) row.values[column] = read.text;
  };

  const endRow = (done: RowInProgress) => {
    if (!done.values.some((value) => value !== undefined && value.trim() !== '') && done.problems.length === 0) return;
    if (header === undefined) {
      header = Array.from({ length: done.values.length }, (_, index) => done.values[index] ?? '');
      fields = header.map((name) => canonicalColumn(name));
      if (!fields.some((field) => field !== undefined)) {
        throw new FileFormatError(
          `the first row with a value (row ${done.line}) names no known column (request_id, email, phone, search, conversation_id, visitor_id, received_at); is the header missing?`,
        );
      }
      return;
    }
    rows.push({
      line: done.line,
      columns: header,
      values: done.values,
      problems: done.problems,
      ...(done.warnings.length > 0 ? { warnings: done.warnings } : {}),
    });
  };

  const parser = new XmlPartParser(
    context.part,
    {
      open: (name, attributes) => {
        if (inInline) {
          inline.open(name);
          return;
        }
        switch (name) {
          case 'row': {
            const line = wholeNumber(attributes.r) ?? previousLine + 1;
            previousLine = line;
            previousColumn = -1;
            row = { line, values: [], problems: [], warnings: [] };
            return;
          }
          case 'c': {
            const column = attributes.r === undefined ? previousColumn + 1 : columnIndexOf(attributes.r);
            if (column !== undefined) previousColumn = column;
            cell = { column, type: attributes.t ?? 'n', style: wholeNumber(attributes.s) ?? 0, hasFormula: false, value: undefined, inline: undefined };
            return;
          }
          case 'v':
            if (cell !== undefined) valueParts = [];
            return;
          case 'f':
            if (cell !== undefined) cell.hasFormula = true;
            return;
          case 'is':
            if (cell !== undefined) {
              inInline = true;
              inline.start();
            }
            return;
        }
      },
      text: (text) => {
        if (inInline) inline.text(text);
        else valueParts?.push(text);
      },
      close: (name) => {
        if (inInline) {
          if (name !== 'is') inline.close(name);
          else {
            inInline = false;
            if (cell !== undefined) cell.inline = inline.finish();
          }
          return;
        }
        switch (name) {
          case 'v':
            if (cell !== undefined && valueParts !== undefined) cell.value = valueParts.join('');
            valueParts = undefined;
            return;
          case 'c':
            if (cell !== undefined) endCell(cell);
            cell = undefined;
            return;
          case 'row':
            if (row !== undefined) endRow(row);
            row = undefined;
            return;
        }
      },
    },
    context.maxNodeChars,
  );

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (rows.length > 0) yield rows.splice(0);
  }
  parser.end();
  if (rows.length > 0) yield rows.splice(0);
}

type CellRead = string | { problem: string } | { text: string; warning: string };

const PHONE_AS_NUMBER =
  'is stored as a number, which keeps no leading 0 or +: a national number has lost its 0 (read as written, it may not be the number meant); format the column as Text';

/** A cell's value as text, or why a known column's cell cannot be used (never quoting it). */
function cellText(cell: CellInProgress, context: SheetContext, field?: RequestField): CellRead {
  const { value } = cell;
  switch (cell.type) {
    case 's': {
      if (value === undefined) return '';
      const text = context.sharedStrings[Number(value)];
      return text ?? { problem: 'refers to a shared string the workbook does not hold' };
    }
    case 'inlineStr':
      return cell.inline ?? value ?? '';
    case 'b':
      return value === undefined ? '' : value.trim() === '1' ? 'TRUE' : 'FALSE';
    case 'e':
      return { problem: `holds an Excel error${value !== undefined && /^#[A-Z0-9/!?_]{1,16}$/.test(value.trim()) ? ` (${value.trim()})` : ''}` };
    default:
      break;
  }
  if (value === undefined) return cell.hasFormula ? { problem: 'is a formula with no saved result; open the file in Excel and save it again' } : '';
  if (cell.type === 'str' || cell.type === 'd') return value;
  const text = plainNumberText(value);
  if (field === 'phone') return { text, warning: PHONE_AS_NUMBER };
  if (field === 'received_at' || context.dateStyles[cell.style] === true) return excelSerialInstant(Number(text), context.date1904) ?? text;
  return text;
}

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  return Number(text);
}
