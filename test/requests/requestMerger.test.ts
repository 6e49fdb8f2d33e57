import { describe, expect, test } from '@jest/globals';
import { hashRequestId } from '../../src/requests/hashRequestId.js';
import { RepeatedRequestIds, type RowCountsByHash } from '../../src/requests/repeatedRequestIds.js';
import { RequestMerger } from '../../src/requests/requestMerger.js';
import type { SourceRow } from '../../src/requests/sourceRow.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { request } from './requestFiles.js';

function row(line: number, requestId: string, email: string): SourceRow {
  return { line, columns: ['request_id', 'email'], values: [requestId, email], problems: [] };
}

/** Merges the rows one batch of one row at a time, as they may come from a reader. */
function merge(rows: SourceRow[], rowsOfRepeatedIds: RowCountsByHash) {
  const merger = new RequestMerger({ file: 'f.csv', rowsOfRepeatedIds });
  const outcomes = rows.flatMap((row) => merger.merge([row]));
  return { outcomes, leftovers: merger.leftovers() };
}

// Two distinct ids with the same 32-bit FNV-1a hash, found once by counting up from ticket-0-0 (no run
// of 6 digits: such a request_id is not used).
const COLLIDING: [string, string] = ['ticket-255-808', 'ticket-536-2'];

function rowCountsOf(rows: SourceRow[]): RowCountsByHash {
  const ids = new RepeatedRequestIds();
  for (const { values } of rows) ids.add(hashRequestId(String(values[0])));
  return ids.rowCounts();
}

describe('RequestMerger', () => {
  test('a hash collision only delays a request: two ids sharing a hash are never merged', () => {
    const [x, y] = COLLIDING;
    expect(hashRequestId(x)).toBe(hashRequestId(y));
    const rows = [row(1, x, 'x1@example.com'), row(2, y, 'y@example.com'), row(3, 'other', 'o@example.com'), row(4, x, 'x2@example.com')];

    const { outcomes, leftovers } = merge(rows, rowCountsOf(rows));

    expect(outcomes).toEqual([
      request('other', 'f.csv', 3, { emails: ['o@example.com'] }),
      request(x, 'f.csv', 1, { emails: ['x1@example.com', 'x2@example.com'] }),
      request(y, 'f.csv', 2, { emails: ['y@example.com'] }),
    ]);
    expect(leftovers).toEqual([]);
  });

  test('a request still waiting at the end (the file changed) is returned, not lost', () => {
    const { outcomes, leftovers } = merge([row(1, 'A', 'a@example.com')], new Map([[hashRequestId('A'), 2]]));

    expect(outcomes).toEqual([]);
    expect(leftovers).toEqual([request('A', 'f.csv', 1, { emails: ['a@example.com'] })]);
  });
});

describe('RepeatedRequestIds', () => {
  test('counts the rows of the hashes seen on more than one row, and only those, across blocks', () => {
    const ids = new RepeatedRequestIds();
    // past 64 Ki rows, so that the hashes span two blocks
    for (let line = 1; line <= 70_000; line++) ids.add(line % 10_000 === 0 ? 7 : line + 100);
    ids.add(42);
    ids.add(42);

    const counts = ids.rowCounts();
    expect(counts.size).toBe(2);
    expect([7, 42, 101, 69_999 + 100, 0].map((hash) => counts.get(hash))).toEqual([7, 2, undefined, undefined, undefined]);
  });

  test('tells every hash the same as counting with a Map (random hashes, many repeated, full 32-bit range)', () => {
    const random = seededRandom(6);
    const ids = new RepeatedRequestIds();
    const reference = new Map<number, number>();
    const pool = Array.from({ length: 3_000 }, () => Math.floor(random() * 2 ** 32));
    pool.push(0, 2 ** 32 - 1);
    for (let row = 0; row < 20_000; row++) {
      const hash = pool[Math.floor(random() * pool.length)]!;
      ids.add(hash);
      reference.set(hash, (reference.get(hash) ?? 0) + 1);
    }
    ids.add(0);
    ids.add(2 ** 32 - 1);
    for (const hash of [0, 2 ** 32 - 1]) reference.set(hash, (reference.get(hash) ?? 0) + 1);

    const counts = ids.rowCounts();

    const repeated = [...reference].filter(([, rows]) => rows > 1);
    expect(counts.size).toBe(repeated.length);
    for (const [hash, rows] of reference) expect([hash, counts.get(hash)]).toEqual([hash, rows > 1 ? rows : undefined]);
    for (let probe = 0; probe < 1_000; probe++) {
      const hash = Math.floor(random() * 2 ** 32);
      if (!reference.has(hash)) expect(counts.get(hash)).toBeUndefined();
    }
  });

  test('no row, no repeated hash', () => {
    const counts = new RepeatedRequestIds().rowCounts();
    expect(counts.size).toBe(0);
    expect(counts.get(0)).toBeUndefined();
  });
});
