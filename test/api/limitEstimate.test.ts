import { describe, expect, test } from '@jest/globals';
import {
  acceptedPerSecond,
  answeredBefore,
  boundsOf,
  foldStretch,
  provenPerSecond,
  rateBounds,
  type Answer,
  type LimitFits,
} from '../../src/api/limitEstimate.js';

/** The answers a real token bucket (full at 0) gives to calls sent at `sentAtMs`. */
function bucketAnswers(perSecond: number, burst: number, sentAtMs: readonly number[]): Answer[] {
  let tokens = burst;
  let at = 0;
  return sentAtMs.map((sent) => {
    tokens = Math.min(burst, tokens + ((sent - at) / 1000) * perSecond);
    at = sent;
    if (tokens >= 1) {
      tokens -= 1;
      return { sentAtMs: sent, accepted: true };
    }
    return { sentAtMs: sent, accepted: false };
  });
}

/** Calls every `gapMs` from `fromMs`, `count` of them. */
function evenly(fromMs: number, gapMs: number, count: number): number[] {
  return Array.from({ length: count }, (_, n) => fromMs + n * gapMs);
}

describe('rateBounds', () => {
  test("the bucket's own refill rate lies within the bounds fitted at its own size", () => {
    // 100 calls/s against 50/s, burst 5: the bucket runs dry, then accepts one call in two
    const answers = bucketAnswers(50, 5, evenly(0, 10, 200));
    expect(answers.some((answer) => !answer.accepted)).toBe(true);
    const bounds = rateBounds(answers, 0, 5)!;
    expect(bounds.low).toBeLessThanOrEqual(50);
    expect(bounds.high).toBeGreaterThanOrEqual(50);
    expect(bounds.high / bounds.low).toBeLessThan(1.5);
  });

  test('no bound when every call was accepted at a rate and refused nowhere: nothing below the maximum is refuted', () => {
    const answers = bucketAnswers(1000, 5, evenly(0, 100, 20));
    expect(answers.every((answer) => answer.accepted)).toBe(true);
    const bounds = rateBounds(answers, 0, 5)!;
    expect(bounds.high).toBe(1e6);
  });

  test('undefined when no bucket of that size explains the answers (a refusal with tokens to spare)', () => {
    const answers: Answer[] = [
      { sentAtMs: 0, accepted: false },
      { sentAtMs: 1, accepted: true },
    ];
    expect(rateBounds(answers, 0, 8)).toBeUndefined();
  });
});

describe('foldStretch and boundsOf', () => {
  test('a second stretch narrows the fits of the first, and the bounds still hold the true rate', () => {
    const first = bucketAnswers(50, 5, evenly(0, 10, 100));
    const once = foldStretch(new Map(), first, 0);
    const second = bucketAnswers(50, 5, evenly(0, 15, 150)).map((answer) => ({ ...answer, sentAtMs: answer.sentAtMs + 5000 }));
    const twice = foldStretch(once, second, 5000);
    const [before, after] = [boundsOf(once)!, boundsOf(twice)!];
    expect(after.high - after.low).toBeLessThanOrEqual(before.high - before.low);
    expect(after.low).toBeLessThanOrEqual(50);
    expect(after.high).toBeGreaterThanOrEqual(50);
    expect(twice.has(5)).toBe(true);
  });

  test('a stretch that no fit explains starts the fits again from it alone (the limit changed)', () => {
    const slow = foldStretch(new Map(), bucketAnswers(10, 3, evenly(0, 20, 100)), 0);
    const fast = bucketAnswers(200, 3, evenly(0, 2, 400)).map((answer) => ({ ...answer, sentAtMs: answer.sentAtMs + 10_000 }));
    const again = foldStretch(slow, fast, 10_000);
    expect(boundsOf(slow)!.high).toBeLessThan(200);
    expect(boundsOf(again)!.high).toBeGreaterThanOrEqual(200);
  });

  test('boundsOf no fits is undefined; otherwise the lowest low and the highest high', () => {
    expect(boundsOf(new Map())).toBeUndefined();
    const fits: LimitFits = new Map([
      [2, { low: 10, high: 20 }],
      [3, { low: 5, high: 12 }],
    ]);
    expect(boundsOf(fits)).toEqual({ low: 5, high: 20 });
  });
});

describe('what the answers prove', () => {
  const answers = bucketAnswers(50, 5, evenly(0, 10, 400));

  test("acceptedPerSecond counts the last two seconds' accepted calls, and never over less than a quarter second", () => {
    expect(acceptedPerSecond(answers, 0, 4000)).toBeCloseTo(50, -1);
    expect(acceptedPerSecond([{ sentAtMs: 0, accepted: true }], 0, 10)).toBe(4);
  });

  test('provenPerSecond is the accepted rate less the largest bucket that fits, and 0 over less than a second', () => {
    const fits: LimitFits = new Map([[5, { low: 49, high: 51 }]]);
    const proven = provenPerSecond(answers, 0, 4000, fits);
    expect(proven).toBeLessThanOrEqual(50);
    expect(proven).toBeGreaterThan(45);
    expect(provenPerSecond(answers, 0, 900, fits)).toBe(0);
  });

  test('at the same instant an accepted answer comes before a refused one', () => {
    expect(answeredBefore({ sentAtMs: 5, accepted: true }, { sentAtMs: 5, accepted: false })).toBe(true);
    expect(answeredBefore({ sentAtMs: 5, accepted: false }, { sentAtMs: 5, accepted: true })).toBe(false);
    expect(answeredBefore({ sentAtMs: 4, accepted: false }, { sentAtMs: 5, accepted: true })).toBe(true);
  });
});
