import { describe, expect, test } from '@jest/globals';
import { requestIdBases } from '../../src/run/requestIdBases.js';

describe('requestIdBases', () => {
  test("a file's name when no other input shares it", () => {
    expect(Object.fromEntries(requestIdBases(['/a/x.csv', '/b/y.csv']))).toEqual({ '/a/x.csv': 'x.csv', '/b/y.csv': 'y.csv' });
  });

  test('the shortest end of the path that tells two inputs with one name apart', () => {
    expect(Object.fromEntries(requestIdBases(['/d/x/requests.csv', '/d/y/requests.csv', '/e/x/other.csv']))).toEqual({
      '/d/x/requests.csv': 'x/requests.csv',
      '/d/y/requests.csv': 'y/requests.csv',
      '/e/x/other.csv': 'other.csv',
    });
    expect(Object.fromEntries(requestIdBases(['/p/a/in/r.csv', '/q/a/in/r.csv']))).toEqual({
      '/p/a/in/r.csv': 'p/a/in/r.csv',
      '/q/a/in/r.csv': 'q/a/in/r.csv',
    });
  });

  test('the same file given twice is not told apart from itself', () => {
    expect(Object.fromEntries(requestIdBases(['/a/x.csv', '/a/x.csv']))).toEqual({ '/a/x.csv': 'x.csv' });
  });
});
