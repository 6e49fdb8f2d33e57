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

async function merge(rows: SourceRow[], lastLineOfRepeatedIds: Map<number, number>) {
  async function* source() {
    yield* rows;
  }
  const outcomes: ReadOutcome[] = [];
  const generator = mergeRequestRows(source(), { file: 'f.csv', lastLineOfRepeatedIds });
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) return { outcomes, leftovers: next.value };
    outcomes.push(next.value);
  }
}

// Two distinct ids with the same 32-bit FNV-1a hash, found once by counting up from ticket-0.
const COLLIDING: [string, string] = ['ticket-162789', 'ticket-379192'];

function lastLinesOf(rows: SourceRow[]): Map<number, number> {
  const ids = new RepeatedRequestIds();
  for (const { line, cells } of rows) ids.add(hashRequestId(String(cells[0]![1])), line);
  return ids.lastLines();
}

describe('mergeRequestRows', () => {
  test('a hash collision only delays a request: two ids sharing a hash are never merged', async () => {
    const [x, y] = COLLIDING;
    expect(hashRequestId(x)).toBe(hashRequestId(y));
    const rows = [row(1, x, 'x1@example.com'), row(2, y, 'y@example.com'), row(3, 'other', 'o@example.com'), row(4, x, 'x2@example.com')];

    const { outcomes, leftovers } = await merge(rows, lastLinesOf(rows));

    expect(outcomes).toEqual([
      request('other', 'f.csv', 3, { emails: ['o@example.com'] }),
      request(x, 'f.csv', 1, { emails: ['x1@example.com', 'x2@example.com'] }),
      request(y, 'f.csv', 2, { emails: ['y@example.com'] }),
    ]);
    expect(leftovers).toEqual([]);
  });

  test('a request still waiting at the end (the file changed) is returned, not lost', async () => {
    const { outcomes, leftovers } = await merge([row(1, 'A', 'a@example.com')], new Map([[hashRequestId('A'), 9]]));

    expect(outcomes).toEqual([]);
    expect(leftovers.map((accumulator) => accumulator.outcome())).toEqual([request('A', 'f.csv', 1, { emails: ['a@example.com'] })]);
  });
});

describe('RepeatedRequestIds', () => {
  test('keeps the last line of the hashes seen on more than one row, and only those', () => {
    const ids = new RepeatedRequestIds();
    for (let line = 1; line <= 5000; line++) ids.add(line % 1000 === 0 ? 7 : line + 100, line);
    ids.add(42, 6000);
    ids.add(42, 6001);

    expect(ids.lastLines()).toEqual(new Map([[7, 5000], [42, 6001]]));
  });
});
