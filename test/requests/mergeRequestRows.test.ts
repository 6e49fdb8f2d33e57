import { describe, expect, test } from '@jest/globals';
import { hashRequestId } from '../../src/requests/hashRequestId.js';
import { mergeRequestRows } from '../../src/requests/mergeRequestRows.js';
import type { ReadOutcome } from '../../src/requests/personRequest.js';
import { RepeatedRequestIds } from '../../src/requests/repeatedRequestIds.js';
import type { SourceRow } from '../../src/requests/sourceRow.js';
import { request } from './requestFiles.js';

function row(line: number, requestId: string, email: string): SourceRow {
  return { line, cells: [['request_id', requestId], ['email', email]], problems: [] };
}

async function merge(rows: SourceRow[], rowsOfRepeatedIds: Map<number, number>) {
  async function* source() {
    yield* rows;
  }
  const outcomes: ReadOutcome[] = [];
  const generator = mergeRequestRows(source(), { file: 'f.csv', rowsOfRepeatedIds });
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) return { outcomes, leftovers: next.value };
    outcomes.push(next.value);
  }
}

// Two distinct ids with the same 32-bit FNV-1a hash, found once by counting up from ticket-0.
const COLLIDING: [string, string] = ['ticket-162789', 'ticket-379192'];

function rowCountsOf(rows: SourceRow[]): Map<number, number> {
  const ids = new RepeatedRequestIds();
  for (const { cells } of rows) ids.add(hashRequestId(String(cells[0]![1])));
  return ids.rowCounts();
}

describe('mergeRequestRows', () => {
  test('a hash collision only delays a request: two ids sharing a hash are never merged', async () => {
    const [x, y] = COLLIDING;
    expect(hashRequestId(x)).toBe(hashRequestId(y));
    const rows = [row(1, x, 'x1@example.com'), row(2, y, 'y@example.com'), row(3, 'other', 'o@example.com'), row(4, x, 'x2@example.com')];

    const { outcomes, leftovers } = await merge(rows, rowCountsOf(rows));

    expect(outcomes).toEqual([
      request('other', 'f.csv', 3, { emails: ['o@example.com'] }),
      request(x, 'f.csv', 1, { emails: ['x1@example.com', 'x2@example.com'] }),
      request(y, 'f.csv', 2, { emails: ['y@example.com'] }),
    ]);
    expect(leftovers).toEqual([]);
  });

  test('a request still waiting at the end (the file changed) is returned, not lost', async () => {
    const { outcomes, leftovers } = await merge([row(1, 'A', 'a@example.com')], new Map([[hashRequestId('A'), 2]]));

    expect(outcomes).toEqual([]);
    expect(leftovers.map((accumulator) => accumulator.outcome())).toEqual([request('A', 'f.csv', 1, { emails: ['a@example.com'] })]);
  });
});

describe('RepeatedRequestIds', () => {
  test('counts the rows of the hashes seen on more than one row, and only those, across blocks', () => {
    const ids = new RepeatedRequestIds();
    // past 64 Ki rows, so that the hashes span two blocks
    for (let line = 1; line <= 70_000; line++) ids.add(line % 10_000 === 0 ? 7 : line + 100);
    ids.add(42);
    ids.add(42);

    expect(ids.rowCounts()).toEqual(new Map([[7, 7], [42, 2]]));
  });

  test('no row, no repeated hash', () => {
    expect(new RepeatedRequestIds().rowCounts()).toEqual(new Map());
  });
});
