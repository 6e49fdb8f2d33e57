import { describe, expect, test } from '@jest/globals';
import { etaSeconds } from '../../src/run/etaSeconds.js';

describe('etaSeconds', () => {
  test('none before 5% of the requests or 10 s, whatever the rate', () => {
    expect(etaSeconds(4, 100, 2, 9_999)).toBeUndefined();
    expect(etaSeconds(5, 100, 2, 1_000)).toBe(48);
    expect(etaSeconds(1, 100, 2, 10_000)).toBe(50);
  });

  test('none without a total, a rate, or anything left, and none beyond 100 hours', () => {
    expect(etaSeconds(50, undefined, 2, 60_000)).toBeUndefined();
    expect(etaSeconds(50, 100, undefined, 60_000)).toBeUndefined();
    expect(etaSeconds(50, 100, 0, 60_000)).toBeUndefined();
    expect(etaSeconds(100, 100, 2, 60_000)).toBeUndefined();
    expect(etaSeconds(1, 1_000_000, 0.001, 60_000)).toBeUndefined();
  });

  test('rounds up: a second left is never shown as 0', () => {
    expect(etaSeconds(99, 100, 3, 60_000)).toBe(1);
  });
});
