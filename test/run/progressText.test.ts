import { describe, expect, test } from '@jest/globals';
import type { ProgressView } from '../../src/run/progressMeter.js';
import { durationText, progressText } from '../../src/run/progressText.js';

const view = (fields: Partial<ProgressView> = {}): ProgressView => ({
  requestsResolved: 1234,
  requestsTotal: 5000,
  targetsDone: 2310,
  targetsFound: 2400,
  elapsedMs: 60_000,
  requestsPerSecond: 20.56,
  etaSeconds: 183,
  ...fields,
});

describe('progressText', () => {
  test('requests resolved of the total with a percentage, targets done of those found, the rate and the ETA', () => {
    expect(progressText(view(), 120)).toBe('1,234/5,000 requests 24% | 2,310/2,400 targets done | 20.6 req/s | ETA 3m03s');
  });

  test('before the total is known: no total, no percentage, no ETA', () => {
    expect(progressText(view({ requestsTotal: undefined, etaSeconds: undefined }), 120)).toBe('1,234 requests | 2,310/2,400 targets done | 20.6 req/s');
  });

  test('the final state says how long the run took instead of an ETA', () => {
    expect(progressText(view({ requestsResolved: 5000, etaSeconds: undefined, elapsedMs: 3_725_000 }), 120, true)).toBe(
      '5,000/5,000 requests 100% | 2,310/2,400 targets done | 20.6 req/s | in 1h02m',
    );
  });

  test('cut to the width less one column: the rate goes first, then the targets, then the ETA, then the text is cut', () => {
    expect(progressText(view(), 70)).toBe('1,234/5,000 requests 24% | 2,310/2,400 targets done | ETA 3m03s');
    expect(progressText(view(), 60)).toBe('1,234/5,000 requests 24% | ETA 3m03s');
    expect(progressText(view(), 40)).toBe('1,234/5,000 requests 24% | ETA 3m03s');
    expect(progressText(view(), 26)).toBe('1,234/5,000 requests 24%');
    expect(progressText(view(), 12)).toBe('1,234/5,000');
  });

  test('no width from 1 to 200 columns gives a line as wide as the terminal', () => {
    for (let columns = 1; columns <= 200; columns++) {
      for (const final of [false, true]) expect(progressText(view(), columns, final).length).toBeLessThanOrEqual(Math.max(1, columns - 1));
    }
  });

  test('an empty run shows no percentage; a rate of 100 a second or more has no decimals', () => {
    expect(progressText(view({ requestsResolved: 0, requestsTotal: 0, targetsDone: 0, targetsFound: 0, etaSeconds: undefined }), 80)).toBe(
      '0/0 requests | 0/0 targets done | 20.6 req/s',
    );
    expect(progressText(view({ requestsPerSecond: 1234.5, etaSeconds: undefined }), 120)).toContain('| 1,235 req/s');
  });
});

describe('durationText', () => {
  test('seconds, minutes and seconds, hours and minutes', () => {
    expect([durationText(0), durationText(59), durationText(60), durationText(3599), durationText(3600), durationText(360_000)]).toEqual([
      '0s',
      '59s',
      '1m00s',
      '59m59s',
      '1h00m',
      '100h00m',
    ]);
  });
});
