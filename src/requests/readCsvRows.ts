import { Parser, type CsvError, type Options } from 'csv-parse';
import { canonicalColumn, type RequestField } from './columnAliases.js';
import { CsvRecordGuard, type GuardedPiece } from './csvRecordGuard.js';
import type { CsvDelimiter } from './detectCsvDelimiter.js';
import { leadingCsvFields } from './leadingCsvFields.js';
import { createLineEndingNormalizer } from './normalizeLineEndings.js';
import { FileFormatError } from './requestFileError.js';
import type { SourceRow } from './sourceRow.js';

/** Longer records are rejected, and reading goes on after them: without a cap an unclosed quote buffers the rest of the file. */
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
  /** The lines the record spans, when it spans several: the rows a quote closed too late swallowed. */
  lastLine?: number;
}

/** A record the guard kept from the parser: its start, from which only the fields before the bad one are read. */
interface GuardedRecord {
  kind: 'guarded';
  code: 'CSV_MAX_RECORD_SIZE' | 'CSV_QUOTE_NOT_CLOSED';
  line: number;
  lastLine: number;
  head: Buffer;
}

type RecordEvent = ParsedRecord | SkippedRecord | GuardedRecord;

// After these the parser is, or was, inside a quoted field that did not end where it should: whatever
// it reads next may be other rows swallowed into this one, so reading stops. The record guard keeps
// unclosed quotes and oversized records from the parser; they stay here should one get through.
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
 * A record that cannot be read becomes a row with a problem, and reading goes on at the next record; a
 * record over 64 KiB too. After an error that leaves the parser unsure where the record ends (a closing
 * quote followed by text, a quote never closed), it is the last row, and its problem names the lines
 * from it to the end of the file, none of which is read.
 */
export async function* readCsvRows(chunks: AsyncIterable<Buffer>, delimiter: CsvDelimiter): AsyncGenerator<SourceRow[]> {
  // Filled synchronously by the parser's hooks, in file order, and drained after each write: rows stay
  // in our hands even when the parser then fails, which its readable side would not guarantee.
  const events: (ParsedRecord | SkippedRecord)[] = [];
  // The parser holds back the last byte it is given until more comes: a record the guard kept from it
  // waits here until the parser has handed over the records before it.
  const guarded: GuardedRecord[] = [];
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
  let fields: (RequestField | undefined)[] = [];
  const toRow = (event: RecordEvent): SourceRow | undefined => {
    if (header === undefined) {
      // on_skip stops the parser on an error before the header, so the first event is the header record
      if (event.kind !== 'record') throw new FileFormatError(`the header line cannot be read as CSV (${event.code})`);
      header = event.fields.map((name) => name.trim());
      fields = header.map((name) => canonicalColumn(name));
      if (!header.some((name) => canonicalColumn(name) !== undefined)) {
        throw new FileFormatError(
          'the header line names no known column (request_id, email, phone, search, conversation_id, visitor_id, received_at); is it missing?',
        );
      }
      return undefined;
    }
    switch (event.kind) {
      case 'record':
        return recordToRow(event, header, fields);
      case 'skip':
        return skipToRow(event, header);
      case 'guarded':
        return guardedToRow(event, header, delimiter);
    }
  };

  const drain = (final: boolean): SourceRow[] => {
    // A skipped record may still err again (and turn into a stop) until something follows it.
    const heldBack = !final && events.at(-1) === lastSkip ? events.pop() : undefined;
    const rows: SourceRow[] = [];
    const add = (event: RecordEvent) => {
      const row = toRow(event);
      if (row !== undefined) rows.push(row);
    };
    for (const event of events) {
      while (guarded.length > 0 && guarded[0]!.line < startLine(event)) add(guarded.shift()!);
      add(event);
    }
    events.length = 0;
    if (heldBack !== undefined) events.push(heldBack);
    if (final) for (const event of guarded.splice(0)) add(event);
    return rows;
  };

  const guard = new CsvRecordGuard(delimiter, MAX_CSV_RECORD_SIZE);
  const feed = async (pieces: GuardedPiece[]): Promise<unknown> => {
    for (const piece of pieces) {
      if (piece.kind !== 'records') {
        lastSkip = undefined;
        const lastLine = piece.kind === 'unclosed' ? piece.lastLine : piece.line + Math.max(0, piece.lineBreaks - 1);
        const code = piece.kind === 'unclosed' ? 'CSV_QUOTE_NOT_CLOSED' : 'CSV_MAX_RECORD_SIZE';
        guarded.push({ kind: 'guarded', code, line: piece.line, lastLine, head: piece.head });
      }
      // an oversized record's line breaks stand in for it, so that the parser counts the lines after it right
      const data = piece.kind === 'records' ? piece.data : piece.kind === 'oversized' ? Buffer.alloc(piece.lineBreaks, '\n') : undefined;
      if (data === undefined) continue;
      for (let start = 0; start < data.length; start += PARSER_WRITE_SIZE) {
        const failure = await writeTo(parser, data.subarray(start, start + PARSER_WRITE_SIZE));
        if (failure !== undefined) return failure;
      }
    }
    return undefined;
  };

  const normalizer = createLineEndingNormalizer();
  let failure: unknown;
  for await (const chunk of chunks) {
    const data = normalizer.push(chunk);
    if (headerError !== undefined) break;
    // once the parser stopped, the rest is only counted: the rejection names the lines not read
    if (failure !== undefined) guard.skip(data);
    else {
      failure = await feed(guard.push(data));
      yield drain(false);
    }
  }
  const tail = normalizer.flush();
  if (failure === undefined) failure = (await feed(guard.push(tail))) ?? (await feed(guard.end())) ?? (await endOf(parser));
  else guard.skip(tail);
  if (headerError !== undefined) throw new FileFormatError(`the header line cannot be read as CSV (${headerError})`);
  if (failure !== undefined && failure !== STOP_READING) {
    // csv-parse's messages quote the record: keep only the code
    throw new FileFormatError(`the file cannot be read as CSV (${String((failure as { code?: unknown }).code ?? 'unknown error')})`);
  }
  for (const event of events) if (event.kind === 'skip' && event.stop) event.lastLine = guard.lastLineWithText;
  yield drain(true);
}

function recordToRow(record: ParsedRecord, header: string[], fields: readonly (RequestField | undefined)[]): SourceRow | undefined {
  const { fields: values } = record;
  if (values.every((value) => value.trim() === '')) return undefined;
  const line = record.endLine - countLineBreaks(values);
  const problems: string[] = [];
  // A row cut short is flagged as well as one too long: either may be a row written with another
  // delimiter, or a value split at a delimiter, and its values under the wrong columns.
  if (values.length !== header.length) problems.push(fieldCountProblem(values.length, header.length));
  for (let index = 0; index < values.length; index++) {
    const field = fields[index];
    if (field !== undefined && countLineBreaks([values[index]!]) > 0 && problems.length === 0) {
      problems.push(
        `${field} holds a line break (the row runs from line ${line} to line ${record.endLine}): ` +
          `no identifier does, so a quote closed too late has likely swallowed the rows after it`,
      );
    }
  }
  return { line, columns: header, values, problems };
}

function startLine(event: ParsedRecord | SkippedRecord): number {
  return event.kind === 'skip' ? event.line : event.endLine - countLineBreaks(event.fields);
}

function fieldCountProblem(count: number, expected: number): string {
  return (
    `the row has ${count} field${count === 1 ? '' : 's'} where the header line has ${expected} ` +
    `(a row written with another delimiter, or a delimiter in an unquoted value?)`
  );
}

function skipToRow(skip: SkippedRecord, header: string[]): SourceRow {
  const reason = `${csvErrorReason(skip.code)}${skip.stop ? `; ${notReadLines(skip.line, skip.lastLine ?? skip.line)}` : ''}`;
  return { line: skip.line, columns: header, values: skip.leadingFields, problems: [reason], ...(skip.stop ? { stop: true } : {}) };
}

function guardedToRow(record: GuardedRecord, header: string[], delimiter: string): SourceRow {
  // only the fields before the one that never ends: the request_id, usually
  const leadingFields = leadingCsvFields(record.head.toString('utf8'), delimiter, header.length);
  const { line, lastLine } = record;
  if (record.code === 'CSV_QUOTE_NOT_CLOSED') {
    return { line, columns: header, values: leadingFields, problems: [`${csvErrorReason(record.code)}; ${notReadLines(line, lastLine)}`], stop: true };
  }
  const spans = lastLine > line ? ` (it runs from line ${line} to line ${lastLine}: a quote closed too late?)` : '';
  return { line, columns: header, values: leadingFields, problems: [`${csvErrorReason(record.code)}${spans}`] };
}

/** Where the rows after a record the parser cannot end are accounted for: none of them is read. */
function notReadLines(line: number, lastLine: number): string {
  return lastLine > line ? `lines ${line}-${lastLine}, to the end of the file, are not read as rows` : `it is the last line of the file`;
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
      return `the row is longer than ${MAX_CSV_RECORD_SIZE / 1024} KiB`;
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

function endOf(parser: Parser): Promise<unknown> {
  return new Promise((resolve) => {
    parser.end((error?: Error | null) => resolve(error ?? undefined));
  });
}
