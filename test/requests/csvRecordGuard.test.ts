import { describe, expect, test } from '@jest/globals';
import { CsvRecordGuard, type GuardedPiece } from '../../src/requests/csvRecordGuard.js';

/** The pieces with adjacent records joined, and heads as text: how the chunks were cut must not show. The limit counts bytes; a head is one byte over it. */
type Piece =
  | { kind: 'records'; text: string }
  | { kind: 'oversized'; line: number; head: string; lineBreaks: number }
  | { kind: 'unclosed'; line: number; head: string; lastLine: number };

function guarded(chunks: Buffer[], maxRecordSize: number): Piece[] {
  const guard = new CsvRecordGuard(';', maxRecordSize);
  const pieces: GuardedPiece[] = [...chunks.flatMap((chunk) => guard.push(chunk)), ...guard.end()];
  const joined: (Exclude<Piece, { kind: 'records' }> | { kind: 'records'; data: Buffer })[] = [];
  for (const piece of pieces) {
    const last = joined.at(-1);
    if (piece.kind !== 'records') joined.push({ ...piece, head: piece.head.toString() });
    else if (last?.kind === 'records') last.data = Buffer.concat([last.data, piece.data]);
    else joined.push({ kind: 'records', data: piece.data });
  }
  return joined.map((piece): Piece => (piece.kind === 'records' ? { kind: 'records', text: piece.data.toString() } : piece));
}

/** Every way to cut the bytes in two, and one byte at a time, gives the pieces of the whole. */
function expectSameHoweverCut(text: string, maxRecordSize: number): Piece[] {
  const bytes = Buffer.from(text);
  const whole = guarded([bytes], maxRecordSize);
  expect(
    guarded(
      [...bytes].map((byte) => Buffer.of(byte)),
      maxRecordSize,
    ),
  ).toEqual(whole);
  for (let cut = 1; cut < bytes.length; cut++) {
    expect(guarded([bytes.subarray(0, cut), bytes.subarray(cut)], maxRecordSize)).toEqual(whole);
  }
  return whole;
}

describe('CsvRecordGuard', () => {
  test('hands on whole records, and drops one over the limit up to the line break ending it', () => {
    const text = '\uFEFF"a";b\nA;0123456789abc\n\nB;"x\ny"\nC;"0123456789\n0123"\nD;"e""f"\nE;g';

    expect(expectSameHoweverCut(text, 10)).toEqual([
      { kind: 'records', text: '\uFEFF"a";b\n' },
      { kind: 'oversized', line: 2, head: 'A;012345678', lineBreaks: 1 },
      { kind: 'records', text: '\nB;"x\ny"\n' },
      { kind: 'oversized', line: 6, head: 'C;"01234567', lineBreaks: 2 },
      { kind: 'records', text: 'D;"e""f"\nE;g' },
    ]);
  });

  test('a quote never closed is told at the end, with the last line holding text; a quote inside a value opens nothing', () => {
    expect(expectSameHoweverCut('a;b\nA;x"y\nB;"z\nC;w\n\n', 64)).toEqual([
      { kind: 'records', text: 'a;b\nA;x"y\n' },
      { kind: 'unclosed', line: 3, head: 'B;"z\nC;w\n\n', lastLine: 4 },
    ]);
    expect(expectSameHoweverCut('a;b\nB;"0123456789\nC;w', 8)).toEqual([
      { kind: 'records', text: 'a;b\n' },
      { kind: 'unclosed', line: 2, head: 'B;"012345', lastLine: 3 },
    ]);
  });

  test('a closing quote as the last byte of the file closes the field; a doubled one does not', () => {
    expect(expectSameHoweverCut('a;b\nA;"x"', 64)).toEqual([{ kind: 'records', text: 'a;b\nA;"x"' }]);
    expect(expectSameHoweverCut('a;b\nA;"x""', 64)).toEqual([
      { kind: 'records', text: 'a;b\n' },
      { kind: 'unclosed', line: 2, head: 'A;"x""', lastLine: 2 },
    ]);
  });
});
