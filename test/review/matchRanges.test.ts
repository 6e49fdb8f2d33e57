import { describe, expect, test } from '@jest/globals';
import { excerptAround, matchRanges } from '../../src/review/matchRanges.js';

const marked = (text: string, ranges: [number, number][]) => ranges.map(([start, end]) => text.slice(start, end));

describe('matchRanges', () => {
  test('finds every occurrence of every needle, case-insensitively, in order', () => {
    const text = 'Bonjour, camille PERRIN ici; écrivez à Camille.Perrin@Example.fr ou Camille Perrin';
    const ranges = matchRanges(text, ['Camille Perrin', 'camille.perrin@example.fr']);
    expect(marked(text, ranges)).toEqual(['camille PERRIN', 'Camille.Perrin@Example.fr', 'Camille Perrin']);
  });

  test('merges overlapping and touching matches into one', () => {
    const text = 'call +33 6 39 98 03 00 now';
    expect(marked(text, matchRanges(text, ['+33 6 39', '6 39 98 03 00', '00 now']))).toEqual(['+33 6 39 98 03 00 now']);
  });

  test('takes needles as text, not patterns: dots, pluses and brackets match themselves only', () => {
    expect(matchRanges('06x39x98', ['06.39.98'])).toEqual([]);
    expect(marked('tel (+33) 6', matchRanges('tel (+33) 6', ['(+33)']))).toEqual(['(+33)']);
    expect(matchRanges('a-b a/b', ['a-b', 'a/b'])).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  test('ranges fit the text as shown where lower-casing changes lengths', () => {
    const text = 'İstanbul: Müller, MÜLLER';
    const ranges = matchRanges(text, ['müller']);
    expect(marked(text, ranges)).toEqual(['Müller', 'MÜLLER']);
  });

  test('blank needles and no match give no range', () => {
    expect(matchRanges('anything', ['', '  '])).toEqual([]);
    expect(matchRanges('anything', ['nothing'])).toEqual([]);
  });
});

describe('excerptAround', () => {
  test('keeps a short message whole', () => {
    const text = 'Hello, Camille Perrin here';
    expect(excerptAround(text, matchRanges(text, ['camille perrin']))).toEqual({ text, ranges: [[7, 21]], cutBefore: false, cutAfter: false });
  });

  test('cuts a long message to some context around the matches, its ranges moved with it', () => {
    const text = `${'a'.repeat(1000)} Camille Perrin ${'b'.repeat(1000)}`;
    const excerpt = excerptAround(text, matchRanges(text, ['Camille Perrin']), 20, 400);
    expect(excerpt.cutBefore).toBe(true);
    expect(excerpt.cutAfter).toBe(true);
    expect(excerpt.text.length).toBeLessThanOrEqual(400);
    expect(marked(excerpt.text, excerpt.ranges)).toEqual(['Camille Perrin']);
    expect(excerpt.text).toBe(`${'a'.repeat(19)} Camille Perrin ${'b'.repeat(19)}`);
  });

  test('never grows past its bound, even with matches far apart', () => {
    const text = `x Camille ${'c'.repeat(2000)} Camille y`;
    const excerpt = excerptAround(text, matchRanges(text, ['camille']), 10, 300);
    expect(excerpt.text.length).toBeLessThanOrEqual(300);
    expect(marked(excerpt.text, excerpt.ranges)).toEqual(['Camille']);
    expect(excerpt.cutAfter).toBe(true);
  });
});
