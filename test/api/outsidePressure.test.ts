import { describe, expect, test } from '@jest/globals';
import { OutsidePressure, type EndedStretch } from '../../src/api/outsidePressure.js';

const stretch =
  (pace: number, accepted: number, ramp = false) =>
  (): EndedStretch => ({ pace, accepted, ramp });

/** `accepted` accepted answers then `refused` refused ones, sent in the 100 ms before `nowMs`. */
function answers(pressure: OutsidePressure, nowMs: number, accepted: number, refused: number): void {
  const total = accepted + refused;
  for (let n = 0; n < total; n += 1) pressure.noteAnswer({ sentAtMs: nowMs - 100 + (100 * n) / total, accepted: n < accepted }, nowMs);
}

describe('OutsidePressure', () => {
  test('the first refusal of a run is the limit: there is no earlier stretch to compare', () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 9, 1);
    expect(pressure.judge(1000, stretch(Infinity, 9))).toEqual({ outside: false, fresh: false });
    expect(pressure.refusals).toBe(0);
  });

  test('a slower stretch refused after fewer accepted calls than a faster one is outside pressure, first fresh, then not', () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 30, 1);
    expect(pressure.judge(1000, stretch(Infinity, 30)).outside).toBe(false);
    answers(pressure, 3000, 20, 1);
    expect(pressure.judge(3000, stretch(40, 20))).toEqual({ outside: true, fresh: true });
    answers(pressure, 3500, 9, 1);
    expect(pressure.judge(3500, stretch(40, 9))).toEqual({ outside: true, fresh: false });
    expect(pressure.refusals).toBe(2);
  });

  test('a stretch that accepted more than the faster one did is the limit (a bucket drained more slowly)', () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 30, 1);
    pressure.judge(1000, stretch(100, 30));
    answers(pressure, 3000, 60, 1);
    expect(pressure.judge(3000, stretch(50, 60)).outside).toBe(false);
  });

  test("a doubling ramp's refusal is no yardstick for the next stretch", () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 80, 1);
    expect(pressure.judge(1000, stretch(200, 80, true)).outside).toBe(false);
    answers(pressure, 3000, 40, 1);
    expect(pressure.judge(3000, stretch(100, 40)).outside).toBe(false);
  });

  test('under outside pressure, refusals past twice their first share (at least half) are the limit again', () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 90, 10);
    pressure.judge(1000, stretch(Infinity, 90));
    answers(pressure, 3000, 45, 5);
    expect(pressure.judge(3000, stretch(40, 45)).outside).toBe(true);
    // 2 s later the window holds only these: 70 % refused, past max(0.5, 2 × 0.1)
    answers(pressure, 5100, 30, 70);
    expect(pressure.judge(5100, stretch(40, 30)).outside).toBe(false);
  });

  test('outside pressure ends 30 s after its last refusal: the next refusal is judged by stretches again', () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 30, 1);
    pressure.judge(1000, stretch(Infinity, 30));
    answers(pressure, 3000, 20, 1);
    expect(pressure.judge(3000, stretch(40, 20)).outside).toBe(true);
    answers(pressure, 40_000, 20, 1);
    // the stretches it compared with are older than 30 s too: nothing to compare with
    expect(pressure.judge(40_000, stretch(40, 20))).toEqual({ outside: false, fresh: false });
  });

  test('a stretch refused after as many accepted calls as the faster one is the limit: a refilled bucket drained by bunched calls', async () => {
    const pressure = new OutsidePressure();
    answers(pressure, 1000, 5, 1);
    pressure.judge(1000, stretch(Infinity, 5));
    answers(pressure, 3000, 5, 1);
    expect(pressure.judge(3000, stretch(40, 5)).outside).toBe(false);
  });
});
