import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { READ_BACK_REPORT_COLUMNS } from '../verify/writeReadBackReport.js';
import { VERIFY_REPORT_COLUMNS } from '../verify/writeVerifyReport.js';
import { ReportInputError } from './reportInputError.js';

/** One row of verify's report, without the ids it found (the evidence report shows counts). */
export interface VerifyRow {
  result: string;
  conversationsFound: number;
  visitorsFound: number;
  /** Why not checked, or an API error's code: verify never writes a value of the request there. */
  reason: string;
}

/** One row of verify's read-back report, as counts. */
export interface ReadBackRow {
  profilesEmpty: number;
  conversationsEmpty: number;
  notRead: number;
  profilesRemaining: number;
  conversationsRemaining: number;
}

/** Rows by their request_id cell as written (a cell a spreadsheet would run as a formula starts with `'`). */
export type RowsByRequest<Row> = Map<string, Row>;

// as the request files: an unclosed quote would otherwise buffer the rest of the file
const MAX_RECORD_SIZE = 64 * 1024;

export async function readVerifyReport(path: string): Promise<RowsByRequest<VerifyRow>> {
  return readReport(path, VERIFY_REPORT_COLUMNS, (cell) => ({
    result: cell('result'),
    conversationsFound: count(cell, 'conversations_found'),
    visitorsFound: count(cell, 'visitors_found'),
    reason: cell('reason'),
  }));
}

export async function readReadBackReport(path: string): Promise<RowsByRequest<ReadBackRow>> {
  return readReport(path, READ_BACK_REPORT_COLUMNS, (cell) => ({
    profilesEmpty: count(cell, 'profiles_empty'),
    conversationsEmpty: count(cell, 'conversations_empty'),
    notRead: count(cell, 'not_read'),
    profilesRemaining: count(cell, 'profiles_remaining'),
    conversationsRemaining: count(cell, 'conversations_remaining'),
  }));
}

type CellOf<Column extends string> = (column: Column) => string;

/** Streamed; columns found by name, so a column verify adds later is read past. */
async function readReport<Column extends string, Row>(
  path: string,
  columns: readonly Column[],
  rowOf: (cell: CellOf<Column>) => Row,
): Promise<RowsByRequest<Row>> {
  const source = createReadStream(path);
  const parser = parse({ bom: true, max_record_size: MAX_RECORD_SIZE, skip_empty_lines: true, relax_column_count: true, info: true });
  source.on('error', (error) => parser.destroy(error));
  const rows: RowsByRequest<Row> = new Map();
  let positions: Map<string, number> | undefined;
  try {
    for await (const { record, info } of source.pipe(parser) as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (positions === undefined) {
        positions = new Map(record.map((name, index) => [name, index]));
        const missing = ['request_id', ...columns].filter((column) => !positions!.has(column));
        if (missing.length > 0) throw new ReportInputError(`${path}: not a report of verify, no column ${missing.join(', ')}`);
        continue;
      }
      const at = positions;
      const cell = (column: string): string => record[at.get(column)!] ?? '';
      try {
        rows.set(cell('request_id'), rowOf(cell));
      } catch (error) {
        if (error instanceof CountError) throw new ReportInputError(`${path}: line ${info.lines}: ${error.column} is not a count`);
        throw error;
      }
    }
  } catch (error) {
    // csv-parse's messages quote the text around the error: only its code is said
    if (error instanceof CsvError) throw new ReportInputError(`${path}: not readable as CSV (${error.code}, near line ${parser.info.lines})`);
    throw error;
  }
  if (positions === undefined) throw new ReportInputError(`${path}: empty, not a report of verify`);
  return rows;
}

class CountError extends Error {
  constructor(readonly column: string) {
    super(column);
  }
}

function count<Column extends string>(cell: CellOf<Column>, column: Column): number {
  const text = cell(column);
  if (!/^\d+$/.test(text)) throw new CountError(column);
  return Number(text);
}
