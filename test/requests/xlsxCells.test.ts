import { describe, expect, test } from '@jest/globals';
import { columnIndexOf, columnLetters } from '../../src/requests/xlsx/columnIndex.js';
import { excelSerialInstant } from '../../src/requests/xlsx/excelSerialInstant.js';
import { plainNumberText } from '../../src/requests/xlsx/plainNumberText.js';
import { isDateFormatCode } from '../../src/requests/xlsx/readDateStyles.js';

describe('plainNumberText', () => {
  test.each([
    ['33612345678', '33612345678'],
    ['3.3612345678E10', '33612345678'],
    ['3.3612345678e+10', '33612345678'],
    ['1E2', '100'],
    ['1.5E-3', '0.0015'],
    ['-2.5E1', '-25'],
    ['12.50', '12.50'],
    ['1E400', '1E400'],
    ['abc', 'abc'],
  ])('%s → %s', (text, plain) => {
    expect(plainNumberText(text)).toBe(plain);
  });
});

describe('excelSerialInstant', () => {
  test.each([
    [1, false, '1900-01-01T00:00:00.000Z'],
    [59, false, '1900-02-28T00:00:00.000Z'],
    [61, false, '1900-03-01T00:00:00.000Z'],
    [46341.604166666664, false, '2026-11-15T14:30:00.000Z'],
    [0, true, '1904-01-01T00:00:00.000Z'],
    [44879.604166666664, true, '2026-11-15T14:30:00.000Z'],
  ])('%d (1904: %s) → %s', (serial, date1904, instant) => {
    expect(excelSerialInstant(serial, date1904)).toBe(instant);
  });

  test('no date: the 29 February 1900 Excel counts but never was, a negative serial, one past 9999', () => {
    expect(excelSerialInstant(60, false)).toBeUndefined();
    expect(excelSerialInstant(-1, false)).toBeUndefined();
    expect(excelSerialInstant(2_958_466, false)).toBeUndefined();
  });
});

describe('isDateFormatCode', () => {
  test.each(['dd/mm/yyyy', 'yyyy-mm-dd hh:mm', 'm/d/yy', '[h]:mm', '[$-40C]d mmmm yyyy', 'h:mm AM/PM'])('%s is a date', (code) => {
    expect(isDateFormatCode(code)).toBe(true);
  });

  test.each(['General', '0', '0.00', '#,##0', '"Day "0', '[Red]0.00', '0.00E+00', '@', '\\d0'])('%s is not', (code) => {
    expect(isDateFormatCode(code)).toBe(false);
  });
});

describe('column references', () => {
  test.each([
    ['A1', 0],
    ['Z9', 25],
    ['AA10', 26],
    ['XFD1', 16_383],
  ])('%s is column %d, and back', (reference, index) => {
    expect(columnIndexOf(reference)).toBe(index);
    expect(columnLetters(index)).toBe(reference.replace(/\d+$/, ''));
  });

  test('past XFD, or no letters, is no column', () => {
    expect(columnIndexOf('XFE1')).toBeUndefined();
    expect(columnIndexOf('AAAA1')).toBeUndefined();
    expect(columnIndexOf('12')).toBeUndefined();
  });
});
