import { describe, expect, test } from '@jest/globals';
import { readCsvRows } from '../../src/requests/readCsvRows.js';
import { readJsonRows } from '../../src/requests/readJsonRows.js';
import { readNdjsonRows } from '../../src/requests/readNdjsonRows.js';
import type { RowReader, SourceRow } from '../../src/requests/sourceRow.js';

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/** A row with its values paired with their column names, as the expectations below are written. */
type RowWithCells = Omit<SourceRow, 'columns' | 'values'> & { cells: [string, unknown][] };

function withCells({ columns, values, ...rest }: SourceRow): RowWithCells {
  const cells = values.flatMap((value, index): [string, unknown][] => {
    const name = columns[index] ?? '';
    return name === '' ? [] : [[name, value]];
  });
  return { ...rest, cells };
}

async function rowsIn(batches: AsyncIterable<SourceRow[]>): Promise<RowWithCells[]> {
  const rows: RowWithCells[] = [];
  for await (const batch of batches) rows.push(...batch.map(withCells));
  return rows;
}

function rowsOf(read: RowReader, bytes: Buffer, chunkSize = bytes.length || 1): Promise<RowWithCells[]> {
  return rowsIn(read(chunksOf(bytes, chunkSize)));
}

/** Every way to cut the bytes in two, plus one byte at a time, must give the rows of the whole. */
async function expectSameRowsHoweverCut(read: RowReader, bytes: Buffer): Promise<RowWithCells[]> {
  const whole = await rowsOf(read, bytes);
  expect(await rowsOf(read, bytes, 1)).toEqual(whole);
  for (let cut = 1; cut < bytes.length; cut++) {
    async function* twoChunks() {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    }
    expect(await rowsIn(read(twoChunks()))).toEqual(whole);
  }
  return whole;
}

describe('row readers', () => {
  test('CSV: rows and their lines do not depend on where chunks end (BOM, CRLF, quotes, blank lines, accents)', async () => {
    const csv = Buffer.from('\uFEFFemail;notes\r\n"a@example.com";"Jé ""x""\r\ny"\r\n\r\nb@example.com;é\r\n');

    const rows = await expectSameRowsHoweverCut((chunks) => readCsvRows(chunks, ';'), csv);

    expect(rows).toEqual([
      {
        line: 2,
        cells: [
          ['email', 'a@example.com'],
          ['notes', 'Jé "x"\ny'],
        ],
        problems: [],
      },
      {
        line: 5,
        cells: [
          ['email', 'b@example.com'],
          ['notes', 'é'],
        ],
        problems: [],
      },
    ]);
  });

  test('CSV: a row csv-parse skips gives the fields before the error, to know its request', async () => {
    const csv = Buffer.from('ticket,email,search\nT1,"a@example.com",x"y\n');

    expect(await rowsOf((chunks) => readCsvRows(chunks, ','), csv)).toEqual([
      {
        line: 2,
        cells: [
          ['ticket', 'T1'],
          ['email', 'a@example.com'],
        ],
        problems: ['the row is not valid CSV: a quote inside a value that does not start with a quote'],
      },
    ]);
  });

  test('JSON array: elements and their lines do not depend on where chunks end (brackets and quotes inside strings, escapes, accents)', async () => {
    const json = Buffer.from('\uFEFF[\n  {"search": "a ] } [ { \\" é", "n": [1, {"x": 2}]},\n  {"search": "\\\\"}, "text",\n 42 ]\n');

    const rows = await expectSameRowsHoweverCut(readJsonRows, json);

    expect(rows).toEqual([
      {
        line: 2,
        cells: [
          ['search', 'a ] } [ { " é'],
          ['n', [1, { x: 2 }]],
        ],
        problems: [],
      },
      { line: 3, cells: [['search', '\\']], problems: [] },
      { line: 3, cells: [], problems: ['the element is not a JSON object'], rankOnLine: 2 },
      { line: 4, cells: [], problems: ['the element is not a JSON object'] },
    ]);
  });

  test('JSON array: an element over 64 KiB is reported, not kept, and reading goes on', async () => {
    const json = Buffer.from(`[{"search": "${'x'.repeat(70_000)}"},\n{"email": "a@example.com"}]`);

    expect(await rowsOf(readJsonRows, json, 4096)).toEqual([
      { line: 1, cells: [], problems: ['the element is larger than 64 KiB'] },
      { line: 2, cells: [['email', 'a@example.com']], problems: [] },
    ]);
  });

  test('JSON array: a trailing comma is tolerated, two commas are not', async () => {
    expect(await rowsOf(readJsonRows, Buffer.from('[{"email": "a@example.com"},\n]'))).toEqual([
      { line: 1, cells: [['email', 'a@example.com']], problems: [] },
    ]);
    expect(await rowsOf(readJsonRows, Buffer.from('[{"email": "a@example.com"},,{}]'))).toEqual([
      { line: 1, cells: [['email', 'a@example.com']], problems: [] },
      {
        line: 1,
        cells: [],
        problems: ['the file is not valid JSON here: two commas in a row; the rest of the file was not read'],
        stop: true,
        rankOnLine: 2,
      },
    ]);
  });

  test('JSON array: content after the closing "]" is reported', async () => {
    expect(await rowsOf(readJsonRows, Buffer.from('[{"email": "a@example.com"}]\n[{"email": "b@example.com"}]'))).toEqual([
      { line: 1, cells: [['email', 'a@example.com']], problems: [] },
      {
        line: 2,
        cells: [],
        problems: ['the file is not valid JSON here: there is more after the closing "]" of the array; the rest of the file was not read'],
        stop: true,
      },
    ]);
  });

  test('NDJSON: lines do not depend on where chunks end (CRLF, blank lines, accents)', async () => {
    const ndjson = Buffer.from('{"search": "é1"}\r\n\r\n{"search": "é2"}\n  \n{"search": "é3"}');

    const rows = await expectSameRowsHoweverCut(readNdjsonRows, ndjson);

    expect(rows).toEqual([
      { line: 1, cells: [['search', 'é1']], problems: [] },
      { line: 3, cells: [['search', 'é2']], problems: [] },
      { line: 5, cells: [['search', 'é3']], problems: [] },
    ]);
  });

  test('NDJSON: a line over 64 KiB is reported, not kept, and reading goes on', async () => {
    const ndjson = Buffer.from(`{"search": "${'x'.repeat(70_000)}"}\n{"email": "a@example.com"}\n`);

    expect(await rowsOf(readNdjsonRows, ndjson, 4096)).toEqual([
      { line: 1, cells: [], problems: ['the line is longer than 64 KiB'] },
      { line: 2, cells: [['email', 'a@example.com']], problems: [] },
    ]);
  });
});
