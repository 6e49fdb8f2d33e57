import { describe, expect, test } from '@jest/globals';
import { durationText, plural, rejectedRowsText } from '../../../src/commands/summary/wording.js';

describe('wording', () => {
  test('plural', () => {
    expect(plural(1, 'request')).toBe('1 request');
    expect(plural(0, 'request')).toBe('0 requests');
    expect(plural(3, 'target')).toBe('3 targets');
  });

  test('rejectedRowsText names lines by file, the first five only, and says how many more', () => {
    expect(rejectedRowsText([{ file: 'requests.csv', line: 4 }], 1)).toBe('line 4 of requests.csv');
    expect(
      rejectedRowsText(
        [
          { file: 'a.csv', line: 2 },
          { file: 'a.csv', line: 9 },
          { file: 'b.csv', line: 3 },
        ],
        3,
      ),
    ).toBe('lines 2, 9 of a.csv and line 3 of b.csv');
    const many = Array.from({ length: 20 }, (_, index) => ({ file: 'a.csv', line: index + 2 }));
    expect(rejectedRowsText(many, 40)).toBe('lines 2, 3, 4, 5, 6 of a.csv and 35 more (the report lists them)');
    expect(rejectedRowsText([], 2)).toBe('the rows the report marks rejected');
  });

  test('durationText', () => {
    expect(durationText(420)).toBe('0.4 s');
    expect(durationText(12_400)).toBe('12 s');
    expect(durationText(185_000)).toBe('3 min 5 s');
    expect(durationText(3_720_000)).toBe('1 h 2 min');
  });
});
