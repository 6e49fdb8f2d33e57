import { describe, expect, test } from '@jest/globals';
import { ProgressMeter, type Progress } from '../../src/run/progressMeter.js';

const counts = (requestsResolved: number, requestsTotal: number | undefined, targetsDone = 0, targetsFound = 0): Progress => ({
  requestsResolved,
  requestsTotal,
  targetsDone,
  targetsFound,
});

describe('ProgressMeter', () => {
  test('never shows a smaller count than one it showed: counts that drop (a request cut short by a stop) keep the highest', () => {
    const meter = new ProgressMeter(0);

    meter.read(counts(40, 100, 30, 50), 1_000);
    const after = meter.read(counts(38, 100, 29, 45), 2_000);
    const final = meter.read(counts(39, 100, 29, 45), 3_000, true);

    expect(after).toMatchObject({ requestsResolved: 40, requestsTotal: 100, targetsDone: 30, targetsFound: 50 });
    expect(final).toMatchObject({ requestsResolved: 40, targetsDone: 30, targetsFound: 50 });
  });

  test('a total once known stays known, and is never below what is resolved; targets found are never below targets done', () => {
    const meter = new ProgressMeter(0);

    expect(meter.read(counts(3, undefined), 100).requestsTotal).toBeUndefined();
    expect(meter.read(counts(5, 10), 200).requestsTotal).toBe(10);
    expect(meter.read(counts(6, undefined), 300).requestsTotal).toBe(10);
    expect(meter.read(counts(12, 10, 8, 7), 400)).toMatchObject({ requestsTotal: 12, targetsDone: 8, targetsFound: 8 });
  });

  test('the rate is measured once a second has passed, over the last 30 s: a slow start stops weighing on it', () => {
    const meter = new ProgressMeter(0);

    expect(meter.read(counts(0, 1000), 500).requestsPerSecond).toBeUndefined();
    // 20 s reading the files and the first searches, then 10 a second
    meter.read(counts(0, 1000), 20_000);
    for (let second = 21; second <= 60; second++) meter.read(counts((second - 20) * 10, 1000), second * 1000);
    const view = meter.read(counts(400, 1000), 60_000);

    expect(view.requestsPerSecond).toBeCloseTo(10, 5);
    expect(view.etaSeconds).toBe(60);
    expect(view.elapsedMs).toBe(60_000);
  });

  test('the final view has the rate over the whole run and no ETA', () => {
    const meter = new ProgressMeter(1_000);
    meter.read(counts(10, 100), 2_000);

    const final = meter.read(counts(60, 100), 31_000, true);

    expect(final.requestsPerSecond).toBeCloseTo(2, 5);
    expect(final.etaSeconds).toBeUndefined();
    expect(final.elapsedMs).toBe(30_000);
  });

  test('no ETA in the first seconds of a large run, however fast it starts', () => {
    const meter = new ProgressMeter(0);

    const early = meter.read(counts(40, 1000), 2_000);

    expect(early.requestsPerSecond).toBe(20);
    expect(early.etaSeconds).toBeUndefined();
  });
});
