import { Parser, type CsvError, type Options } from 'csv-parse';
import { canonicalColumn } from './columnAliases.js';
import type { CsvDelimiter } from './detectCsvDelimiter.js';
import { leadingCsvFields } from './leadingCsvFields.js';
import { createLineEndingNormalizer } from './normalizeLineEndings.js';
import { FileFormatError } from './requestFileError.js';
import type { SourceRow } from './sourceRow.js';

/** Longer records are refused: without a cap an unclosed quote buffers the rest of the file. */
export const MAX_CSV_RECORD_SIZE = 64 * 1024;

interface ParsedRecord {
  kind: 'record';
  fields: string[];
  /** Line where the record ends (csv-parse's info.lines). */
  endLine: number;
}

interface SkippedRecord {
  kind: 'skip';
  code: string;
  line: number;
  leadingFields: string[];
  stop: boolean;
  /** csv-parse's raw text of the record up to the error, to tell a new record from the same one erring again. */
  raw: string;
}

// After these the parser is, or was, inside a quoted field that did not end where it should: whatever
// it reads next may be other rows swallowed into this one, so reading stops.
const STOPPING_CODES = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

// Thrown from on_skip to make csv-parse stop at once; compared by identity.
const STOP_READING = new Error('stop reading');

const PARSER_WRITE_SIZE = 8 * 1024;

/**
 * csv-parse's Parser, handing over each record synchronously as it completes, with the line it ends on.
 * Not on_record: for it, csv-parse builds a context object per record by spreading its long-lived
 * counters ({ ...info }), and V8 (Node 20) promotes such copies to the old generation; at 1 000 000
 * rows that was most of what filled the heap with garbage between full GCs.
 */
class RecordParser extends Parser {
  readonly #onRecord: (fields: string[], endLine: number) => void;

  constructor(options: Options, onRecord: (fields: string[], endLine: number) => void) {
    super(options);
    this.#onRecord = onRecord;
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(chunk, encoding);
    // with raw: true the parser pushes { record, raw }
    const { record } = chunk as { record: string[] };
    // info.lines is what on_record's context.lines would say: the line where the record ends
    this.#onRecord(record, this.info.lines);
    return true;
  }
}

/**
 * Reads CSV rows: the first record is the header, each later record a row whose line is where it starts.
 * A record csv-parse cannot read becomes a row with a problem; after an error that leaves the parser
 * unsure where the record ends (bad closing quote, unclosed quote, record over 64 KiB), it is the last row.
 */
export async function* readCsvRows(chunks: AsyncIterable<Buffer>, delimiter: CsvDelimiter): AsyncGenerator<SourceRow[]> {
  // Filled synchronously by the parser's hooks, in file order, and drained after each write: rows stay
  // in our hands even when the parser then fails, which its readable side would not guarantee.
  const events: (ParsedRecord | SkippedRecord)[] = [];
  let lastSkip: SkippedRecord | undefined;
  let headerError: string | undefined;

  const parser = new RecordParser(
    {
      delimiter,
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_CSV_RECORD_SIZE,
      on_skip: (error, raw) => {
        const code = error?.code ?? 'CSV_UNKNOWN_ERROR';
        const stop = STOPPING_CODES.has(code);
        if (numberProperty(error, 'records') === 0) {
          headerError = code;
          throw STOP_READING;
        }
        const text = raw ?? '';
        if (lastSkip !== undefined && text.length > lastSkip.raw.length && text.startsWith(lastSkip.raw)) {
          // The same record erring again: keep its first reason unless this one means we must stop.
          lastSkip.raw = text;
          if (stop) Object.assign(lastSkip, { code, stop });
        } else {
          lastSkip = describeSkip(error, code, text, delimiter, stop);
          events.push(lastSkip);
        }
        if (stop) throw STOP_READING;
        return undefined;
      },
    },
    (fields, endLine) => {
      lastSkip = undefined;
      events.push({ kind: 'record', fields, endLine });
    },
  );
  parser.on('error', () => {
    // delivered to the write and end callbacks below
  });

  let header: string[] | undefined;
  const toRow = (event: ParsedRecord | SkippedRecord): SourceRow | undefined => {
    if (header === undefined) {
      // on_skip stops the parser on an error before the header, so the first event is the header record
      if (event.kind === 'skip') throw new FileFormatError('the header line cannot be read as CSV');
      header = event.fields.map((name) => name.trim());
      if (!header.some((name) => canonicalColumn(name) !== undefined)) {
        throw new FileFormatError(
          'the header line names no known column (request_id, email, phone, search, conversation_id, visitor_id, received_at); is it missing?',
        );
      }
      return undefined;
    }
    return event.kind === 'record' ? recordToRow(event, header) : skipToRow(event, header);
  };

  const drain = (final: boolean): SourceRow[] => {
    // A skipped record may still err again (and turn into a stop) until something follows it.
    const heldBack = !final && events.at(-1) === lastSkip ? events.pop() : undefined;
    const rows: SourceRow[] = [];
    for (const event of events) {
      const row = toRow(event);
      if (row !== undefined) rows.push(row);
    }
    events.length = 0;
    if (heldBack !== undefined) events.push(heldBack);
    return rows;
  };

  const normalizer = createLineEndingNormalizer();
  let failure: unknown;
  reading: for await (const chunk of chunks) {
    const data = normalizer.push(chunk);
    for (let start = 0; start < data.length; start += PARSER_WRITE_SIZE) {
      failure = await writeTo(parser, data.subarray(start, start + PARSER_WRITE_SIZE));
      if (failure !== undefined) break reading;
      yield drain(false);
    }
  }
  if (failure === undefined) failure = await endOf(parser, normalizer.flush());
  if (headerError !== undefined) throw new FileFormatError(`the header line cannot be read as CSV (${headerError})`);
  if (failure !== undefined && failure !== STOP_READING) {
    // csv-parse's messages quote the record: keep only the code
    throw new FileFormatError(`the file cannot be read as CSV (${String((failure as { code?: unknown }).code ?? 'unknown error')})`);
  }
  yield drain(true);
}

function recordToRow(record: ParsedRecord, header: string[]): SourceRow | undefined {
  const { fields } = record;
  if (fields.every((field) => field.trim() === '')) return undefined;
  const strayValue = fields.some((field, index) => (header[index] ?? '') === '' && field.trim() !== '');
  return { line: record.endLine - countLineBreaks(fields), columns: header, values: fields, problems: strayValue ? [STRAY_VALUE] : [] };
}

const STRAY_VALUE = 'the row has a value in a column the header line does not name (a delimiter in an unquoted value?)';

function skipToRow(skip: SkippedRecord, header: string[]): SourceRow {
  const reason = `${csvErrorReason(skip.code)}${skip.stop ? '; the rest of the file was not read' : ''}`;
  return { line: skip.line, columns: header, values: skip.leadingFields, problems: [reason], ...(skip.stop ? { stop: true } : {}) };
}

function describeSkip(error: CsvError | undefined, code: string, raw: string, delimiter: string, stop: boolean): SkippedRecord {
  // raw starts with one line break per blank line skipped before the record, and ends with the character in error.
  const text = raw.replace(/^[\r\n]+/, '');
  const errorLine = numberProperty(error, 'lines') ?? 1;
  const line = errorLine - countLineBreaks([text.slice(0, -1)]);
  const column = numberProperty(error, 'column') ?? 0;
  return { kind: 'skip', code, line, leadingFields: leadingCsvFields(text, delimiter, column), stop, raw };
}

function csvErrorReason(code: string): string {
  switch (code) {
    case 'INVALID_OPENING_QUOTE':
      return 'the row is not valid CSV: a quote inside a value that does not start with a quote';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'the row is not valid CSV: a closing quote is followed by more text instead of a delimiter';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'the row is not valid CSV: a quote is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_CSV_RECORD_SIZE / 1024} KiB (a quote never closed?)`;
    default:
      return `the row is not valid CSV (${code})`;
  }
}

function countLineBreaks(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let index = field.indexOf('\n'); index !== -1; index = field.indexOf('\n', index + 1)) count++;
    for (let index = field.indexOf('\r'); index !== -1; index = field.indexOf('\r', index + 1)) count++;
  }
  return count;
}

function numberProperty(error: CsvError | undefined, name: string): number | undefined {
  const value = error?.[name];
  return typeof value === 'number' ? value : undefined;
}

function writeTo(parser: Parser, data: Buffer): Promise<unknown> {
  if (data.length === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    parser.write(data, (error) => resolve(error ?? undefined));
  });
}

function endOf(parser: Parser, data: Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    const end = () => parser.end((error?: Error | null) => resolve(error ?? undefined));
    if (data.length === 0) end();
    else parser.write(data, (error) => (error ? resolve(error) : end()));
  });
}
