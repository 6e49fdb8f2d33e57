import { describe, expect, test } from '@jest/globals';
import { backoffDelay } from '../../src/api/backoffDelay.js';
import { parseRetryAfter } from '../../src/api/parseRetryAfter.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('parseRetryAfter', () => {
  test('delta-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  test('an HTTP-date in the future, as time left', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:05 GMT', NOW)).toBe(5000);
  });

  test('a date in the past, garbage, negatives and absence give undefined', () => {
    for (const header of ['Tue, 24 Nov 2026 11:59:00 GMT', 'soon', '-3', '1.5', '', null, undefined]) {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    }
  });
});

describe('backoffDelay', () => {
  test('full jitter below a ceiling that doubles per attempt and is capped', () => {
    const almostOne = () => 0.999999;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, almostOne, undefined, 100, 500))).toEqual([99, 199, 399, 499]);
    expect(backoffDelay(3, () => 0, undefined, 100, 500)).toBe(0);
  });

  // Changed deliberately (issue 13, item 8): Retry-After was a floor under the jittered backoff,
  // which stopped a call for up to the whole backoff ceiling after a Retry-After: 1.
  test('Retry-After is the wait, exactly: never sooner, and never longer than it asks', () => {
    expect(backoffDelay(1, () => 0.5, 3000, 100, 500)).toBe(3000);
    expect(backoffDelay(9, () => 0.999, 10, 100, 500)).toBe(10);
    expect(backoffDelay(6, () => 0.999, 1000)).toBe(1000);
  });
});
