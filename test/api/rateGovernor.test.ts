import { describe, expect, test } from '@jest/globals';
import { RateGovernor } from '../../src/api/rateGovernor.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { virtualTime, type VirtualClock } from '../helpers/virtualTime.js';

/** Nothing waits for real time: a sleep waits for clock.run(), which wakes sleepers in time order. */
const timerClock = () => virtualTime({ frozen: true, startMs: 0, queueSleeps: true });

function governorOn(clock: VirtualClock, ratePerSecond?: number): RateGovernor {
  return new RateGovernor({ ratePerSecond, nowMs: clock.nowMs, sleep: clock.sleep, random: () => 0.5 });
}

/** `count` callers queue at once; the times at which each was let through, in caller order. */
function queue(clock: VirtualClock, governor: RateGovernor, count: number): number[] {
  const released: number[] = [];
  for (let i = 0; i < count; i += 1) void governor.acquire().then(() => (released[i] = clock.now));
  return released;
}

/** The most calls in any window of `windowMs`; a microsecond of float rounding is forgiven. */
function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= windowMs - 1e-3) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('pacing', () => {
  test('with --rate 10, 100 callers are let through at 2% under it (102 ms apart on average) after a burst of 2, never more than 10 in any second', async () => {
    const clock = timerClock();
    const released = queue(clock, governorOn(clock, 10), 100);
    await clock.run(20_000);

    expect(released.filter((at) => at !== undefined)).toHaveLength(100);
    const averageGap = (released[99]! - released[0]!) / 99;
    expect(averageGap).toBeGreaterThanOrEqual(100);
    expect(averageGap).toBeLessThanOrEqual(103);
    expect(released.slice(0, 2)).toEqual([0, 0]);
    expect(released[2]).toBeCloseTo(1000 / 9.8, 6);
    expect(mostInAnyWindow(released, 1000)).toBeLessThanOrEqual(10);
  });

  test('a caller looping acquire at --rate 10 gets no more than 10 calls in any second', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    const released: number[] = [];
    void (async () => {
      for (let i = 0; i < 50; i += 1) {
        await governor.acquire();
        released.push(clock.now);
        await clock.sleep(30);
      }
    })();
    await clock.run(10_000);

    expect(released).toHaveLength(50);
    expect(released.slice(0, 2)).toEqual([0, 30]);
    expect(released[2]).toBeCloseTo(1000 / 9.8, 6);
    expect(mostInAnyWindow(released, 1000)).toBeLessThanOrEqual(10);
  });

  test('callers are let through in the order they asked', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 2);
    const order: number[] = [];
    for (let i = 0; i < 6; i += 1) void governor.acquire().then(() => order.push(i));
    clock.at(700, () => {
      for (let i = 6; i < 9; i += 1) void governor.acquire().then(() => order.push(i));
    });
    await clock.run(10_000);

    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('without --rate, the first 8 calls go at once, then each accepted answer lets one more be in flight, until a 429', async () => {
    const clock = timerClock();
    const governor = governorOn(clock);
    const released = queue(clock, governor, 40);
    await clock.run(600);
    const sent = () => released.filter((at) => at !== undefined).length;

    // Nothing answered: the window stays at 8, however long it waits.
    expect(governor.currentRate).toBeUndefined();
    expect(released.filter((at) => at === 0)).toHaveLength(8);
    expect(sent()).toBe(8);

    // 4 accepted: 4 places freed and 4 added, so 8 more go out at once.
    for (let i = 0; i < 4; i += 1) governor.onAccepted(0);
    await clock.run(601);
    expect(sent()).toBe(16);

    // An answer that never came (a network error) frees its place without widening the window.
    governor.onUnanswered();
    await clock.run(602);
    expect(sent()).toBe(17);
  });
});

describe('a 429 pauses the whole run', () => {
  test('a 429 with Retry-After 2000 holds every waiting caller until 2000 ms after it', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    const released = queue(clock, governor, 30);
    clock.at(250, () => governor.onRateLimited(2000, 200));
    await clock.run(10_000);

    expect(governor.pausedUntilMs).toBe(2250);
    const before = released.filter((at) => at <= 250);
    const after = released.filter((at) => at > 250);
    expect(before).toHaveLength(4);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(2250);
  });

  test('when the pause ends, the callers leave at the new pace, not in a herd', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    const released = queue(clock, governor, 30);
    clock.at(250, () => governor.onRateLimited(2000, 200));
    await clock.run(2260);
    const resumedAt = governor.currentRate!;
    await clock.run(10_000);

    expect(resumedAt).toBeLessThan(10);
    const afterPause = released.filter((at) => at >= 2250);
    expect(afterPause.filter((at) => at < 2350)).toHaveLength(1);
    // One call as the pause ends, then the new pace (9/s, climbing back to 10 over 5 s): at most
    // 10 in the first second, where a herd would be the 26 callers still waiting.
    expect(afterPause.filter((at) => at < 3250).length).toBeLessThanOrEqual(10);
  });

  test('429s for calls already in flight when the run paused count as one step-down', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 30);
    clock.at(300, () => governor.onRateLimited(1000, 100));
    const rates: Array<number | undefined> = [];
    clock.at(310, () => {
      rates.push(governor.currentRate);
      governor.onRateLimited(1000, 200);
      governor.onRateLimited(1000, 250);
      rates.push(governor.currentRate);
    });
    clock.at(320, () => {
      governor.onRateLimited(1000, 280);
      rates.push(governor.currentRate);
    });
    await clock.run(320);

    expect(rates[0]).toBeLessThan(10);
    expect(new Set(rates).size).toBe(1);
    // Each refusal's own Retry-After is still honoured.
    expect(governor.pausedUntilMs).toBe(1320);
  });

  test('without the send time, 429s answered during the pause count as the same event', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 30);
    const rates: Array<number | undefined> = [];
    clock.at(300, () => {
      governor.onRateLimited(1000);
      rates.push(governor.currentRate);
    });
    clock.at(700, () => {
      governor.onRateLimited(1000);
      rates.push(governor.currentRate);
    });
    await clock.run(800);

    expect(rates[0]).toBeLessThan(10);
    expect(rates[1]).toBe(rates[0]);
    expect(governor.pausedUntilMs).toBe(1700);
  });

  test('a 429 for a call sent after the pause is a new event: the rate steps down again', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 60);
    clock.at(300, () => governor.onRateLimited(1000, 250));
    let afterFirst: number | undefined;
    clock.at(1500, () => {
      afterFirst = governor.currentRate;
      governor.onRateLimited(1000, 1400);
    });
    await clock.run(1500);

    expect(afterFirst).toBeLessThan(10);
    expect(governor.currentRate).toBeLessThan(afterFirst!);
    expect(governor.pausedUntilMs).toBe(2500);
  });

  test('a refusal of an old call answered after the pause ended does not pause the run again', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 60);
    clock.at(300, () => governor.onRateLimited(1000, 250));
    clock.at(1500, () => governor.onRateLimited(1000, 260));
    await clock.run(1500);

    expect(governor.pausedUntilMs).toBe(1300);
  });

  test('without Retry-After, the pause is a jittered backoff that grows with consecutive 429s and resets after a success', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 60);
    const pauses: number[] = [];
    // random() = 0.5: half a ceiling of 500 ms (backoffDelay's full jitter), doubled per consecutive refusal.
    clock.at(100, () => {
      governor.onRateLimited(undefined, 50);
      pauses.push(governor.pausedUntilMs - clock.now);
    });
    clock.at(1000, () => {
      governor.onRateLimited(undefined, 900);
      pauses.push(governor.pausedUntilMs - clock.now);
    });
    clock.at(3000, () => governor.onAccepted(2900));
    clock.at(3100, () => {
      governor.onRateLimited(undefined, 3000);
      pauses.push(governor.pausedUntilMs - clock.now);
    });
    await clock.run(3100);

    expect(pauses).toEqual([250, 500, 250]);
  });
});

/**
 * Issue 13, item 8. Without --rate, the first stretch (unthrottled) ends at t=50 in a refusal
 * after `firstAccepted` accepted calls; the second, after the pause, at a finite pace after
 * `secondAccepted`. What the second refusal is taken for, and whether it pauses the run.
 */
async function secondRefusal(firstAccepted: number, secondAccepted: number) {
  const clock = timerClock();
  const governor = governorOn(clock);
  const released = queue(clock, governor, 60);
  const verdicts: string[] = [];
  const pausedUntil: number[] = [];
  clock.at(50, () => {
    for (let i = 0; i < firstAccepted; i += 1) governor.onAccepted(released[i]);
    verdicts.push(governor.onRateLimited(1000, released[firstAccepted]));
    pausedUntil.push(governor.pausedUntilMs);
  });
  await clock.run(1700);
  const second = released.filter((at) => at >= 1050);
  for (let i = 0; i < secondAccepted; i += 1) governor.onAccepted(second[i]);
  verdicts.push(governor.onRateLimited(1000, second[secondAccepted]));
  pausedUntil.push(governor.pausedUntilMs);
  const pace = governor.currentRate;
  answerTheRest(governor, released, firstAccepted, second[secondAccepted]!);
  await clock.run(2700);
  return {
    verdicts,
    pausedUntil,
    pace,
    paceLater: governor.currentRate,
    releasedAfter: released.filter((at) => at > 1700 && at < 2700).length,
    secondSent: second.length,
  };
}

/** The calls still in flight get accepted: the window (unthrottled) frees up as in a real run. */
function answerTheRest(governor: RateGovernor, released: readonly number[], firstAccepted: number, lastRefusedAt: number): void {
  const second = released.filter((at) => at >= 1050);
  const answered = new Set([...released.slice(0, firstAccepted + 1), ...second.slice(0, second.indexOf(lastRefusedAt) + 1)]);
  released.forEach((at, index) => {
    if (!answered.has(at) && !(index <= firstAccepted)) governor.onAccepted(at);
  });
}

describe('429s the run did not cause (outside pressure)', () => {
  test('the first 429 pauses the run for its Retry-After exactly, no margin', async () => {
    const { verdicts, pausedUntil } = await secondRefusal(6, 10);
    expect(verdicts[0]).toBe('limit');
    expect(pausedUntil[0]).toBe(1050);
  });

  test('a stretch that ends after fewer accepted calls than the one before, at a lower pace, is outside pressure: no pause, the pace back to where the run began (unthrottled), calls keep going', async () => {
    const { verdicts, pausedUntil, pace, paceLater, releasedAfter } = await secondRefusal(6, 3);
    expect(verdicts).toEqual(['limit', 'outside_pressure']);
    expect(pausedUntil[1]).toBe(1050);
    expect(pace).toBeUndefined();
    expect(paceLater).toBeUndefined();
    expect(releasedAfter).toBeGreaterThan(0);
  });

  test('a stretch that accepted more than the one before at its lower pace is a limit: the run pauses its Retry-After', async () => {
    const { verdicts, pausedUntil, secondSent } = await secondRefusal(6, 10);
    expect(secondSent).toBeGreaterThan(10);
    expect(verdicts).toEqual(['limit', 'limit']);
    expect(pausedUntil[1]).toBe(1700 + 1000);
  });

  test('under outside pressure, refusals past twice its share (every later call refused) are the limit again', async () => {
    const clock = timerClock();
    const governor = governorOn(clock);
    const released = queue(clock, governor, 200);
    clock.at(50, () => {
      for (let i = 0; i < 6; i += 1) governor.onAccepted(released[i]);
      governor.onRateLimited(1000, released[6]);
    });
    await clock.run(1700);
    const second = released.filter((at) => at >= 1050);
    for (let i = 0; i < 3; i += 1) governor.onAccepted(second[i]);
    expect(governor.onRateLimited(1000, second[3])).toBe('outside_pressure');
    answerTheRest(governor, released, 6, second[3]!);
    const answeredUntil = released.length;
    // Every call from now on refused: each answer frees a place for the next call.
    const verdicts: string[] = [];
    let escalatedAt: number | undefined;
    for (let next = answeredUntil; next < 200 && escalatedAt === undefined && clock.now < 10_000;) {
      await clock.run(clock.now + 5);
      for (; next < released.length && escalatedAt === undefined; next += 1) {
        verdicts.push(governor.onRateLimited(1000, released[next]));
        if (verdicts.at(-1) === 'limit') escalatedAt = clock.now;
      }
    }
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill('outside_pressure'));
    expect(escalatedAt).toBeDefined();
    expect(verdicts.length).toBeGreaterThanOrEqual(30);
    expect(governor.pausedUntilMs).toBe(escalatedAt! + 1000);
  });
});

describe('the rate after a 429', () => {
  test('with --rate 10, it steps down, climbs back gradually, never above its pace (9.8), and is back at it within a minute', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    const released: number[] = [];
    let refuseOneAt: number | undefined = 5000;
    void (async () => {
      for (;;) {
        await governor.acquire();
        const sentAt = clock.now;
        released.push(sentAt);
        await clock.sleep(50);
        if (refuseOneAt !== undefined && clock.now >= refuseOneAt) {
          refuseOneAt = undefined;
          governor.onRateLimited(1000, sentAt);
        } else {
          governor.onAccepted(sentAt);
        }
        if (clock.now > 70_000) return;
      }
    })();
    const rates: number[] = [];
    for (let t = 100; t <= 70_000; t += 100) {
      await clock.run(t);
      rates.push(governor.currentRate!);
    }

    const stepDown = rates.findIndex((rate) => rate < 9.8);
    expect(stepDown).toBeGreaterThan(0);
    const lowest = Math.min(...rates);
    expect(lowest).toBeLessThan(9.8);
    expect(Math.max(...rates)).toBeLessThanOrEqual(9.8 + 1e-9);
    const climb = rates.slice(rates.indexOf(lowest));
    expect(climb.every((rate, i) => i === 0 || rate >= climb[i - 1]!)).toBe(true);
    // Gradually: it takes more than one step to get back.
    expect(new Set(climb).size).toBeGreaterThan(3);
    expect(rates.at(-1)).toBeCloseTo(9.8, 5);
    expect(mostInAnyWindow(released, 1000)).toBeLessThanOrEqual(10);
  });

  test('with --rate 10, an isolated 429 steps down by a tenth and the rate is back at its pace (9.8) five seconds later; a second one soon after steps down further', async () => {
    const clock = timerClock();
    const governor = governorOn(clock, 10);
    queue(clock, governor, 200);
    // The first refusal of the run: isolated, most likely jitter.
    clock.at(3000, () => governor.onRateLimited(1000, 2950));
    const rates: number[] = [];
    // The pace is set as the pause ends, at 4000.
    clock.at(4001, () => rates.push(governor.currentRate!));
    clock.at(4500, () => rates.push(governor.currentRate!));
    clock.at(9100, () => rates.push(governor.currentRate!));
    // Two seconds after the pause: not isolated, the server's limit may really be lower.
    clock.at(11_000, () => governor.onRateLimited(1000, 10_950));
    clock.at(12_010, () => rates.push(governor.currentRate!));
    await clock.run(12_010);

    const [atPauseEnd, justAfter, fiveSecondsLater, afterSecond] = rates;
    expect(atPauseEnd).toBeCloseTo(0.9 * 9.8, 2);
    expect(justAfter).toBeGreaterThan(0.9 * 9.8 + 0.05);
    expect(fiveSecondsLater).toBeCloseTo(9.8, 5);
    expect(afterSecond).toBeLessThan(0.9 * 9.8);
  });

  test('without --rate, the first 429 sets the rate to what the server accepted over the last two seconds, then it ramps up', async () => {
    const clock = timerClock();
    const governor = governorOn(clock);
    let refuseAt: number | undefined = 3000;
    const worker = async (): Promise<void> => {
      while (clock.now < 4000) {
        await governor.acquire();
        const sentAt = clock.now;
        await clock.sleep(100);
        if (refuseAt !== undefined && clock.now >= refuseAt) {
          refuseAt = undefined;
          governor.onRateLimited(1000, sentAt);
        } else {
          governor.onAccepted(sentAt);
        }
      }
    };
    // Four callers, 100 ms per call: the server accepts 40 a second.
    for (let i = 0; i < 4; i += 1) void worker();
    await clock.run(2900);
    expect(governor.currentRate).toBeUndefined();

    await clock.run(4100);
    const resumed = governor.currentRate!;
    expect(resumed).toBeGreaterThanOrEqual(0.8 * 40);
    expect(resumed).toBeLessThanOrEqual(1.2 * 40);
  });
});

/**
 * A server limited by a token bucket (the project's simulator: `rateLimit`, Retry-After in whole
 * seconds, at least 1) and 16 workers sending through one governor, all on one fake clock.
 */
async function simulate(options: { serverRate: number; rate?: number; seconds: number; seed: number; retryAfter: 'seconds' | 'none'; outsideShare?: number }) {
  const refusedAt: number[] = [];
  const clock = timerClock();
  const random = seededRandom(options.seed);
  const governor = new RateGovernor({ ratePerSecond: options.rate, nowMs: clock.nowMs, sleep: clock.sleep, random: seededRandom(options.seed + 1) });
  const burst = 5;
  let tokens = burst;
  let refilledAt = 0;
  let accepted = 0;
  let refused = 0;
  let outsideRefusals = 0;
  const sent: number[] = [];
  const endMs = options.seconds * 1000;
  const worker = async (): Promise<void> => {
    for (;;) {
      await governor.acquire();
      if (clock.now >= endMs) return;
      const sentAt = clock.now;
      sent.push(sentAt);
      // Up to 5 ms on the way there: calls reach the server a little out of order.
      await clock.sleep(random() * 5);
      tokens = Math.min(burst, tokens + ((clock.now - refilledAt) / 1000) * options.serverRate);
      refilledAt = clock.now;
      let waitSeconds: number | undefined;
      // Another client's share of the budget: refused whatever this run's rate, Retry-After: 1.
      if (options.outsideShare !== undefined && random() < options.outsideShare) waitSeconds = 1;
      else if (tokens >= 1) tokens -= 1;
      else waitSeconds = Math.max(1, Math.ceil((1 - tokens) / options.serverRate));
      await clock.sleep(20 + random() * 40);
      if (waitSeconds === undefined) {
        accepted += 1;
        governor.onAccepted(sentAt);
      } else {
        refused += 1;
        refusedAt.push(sentAt);
        // An outside refusal holds only the refused call (the client waits it out beside the
        // concurrency slots): with endless work, the worker goes on with another call.
        if (governor.onRateLimited(options.retryAfter === 'seconds' ? waitSeconds * 1000 : undefined, sentAt) === 'outside_pressure') outsideRefusals += 1;
      }
    }
  };
  for (let i = 0; i < 16; i += 1) void worker();
  await clock.run(endMs);
  return {
    accepted,
    outsideRefusals,
    pausedMs: governor.pausedMs,
    acceptedShare: accepted / options.seconds / options.serverRate,
    refusedShare: refused / (accepted + refused),
    busiestSecond: mostInAnyWindow(sent, 1000),
    refusedAt,
  };
}

describe('simulation: a 50/s server with a burst of 5, 16 workers', () => {
  test('--rate 50 for 60 s: paced 2% under it, no 429, never more than 50 sent in a second (measured: 0.980, 0%)', async () => {
    const result = await simulate({ serverRate: 50, rate: 50, seconds: 60, seed: 1, retryAfter: 'seconds' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.95);
    expect(result.refusedShare).toBeLessThan(0.01);
    expect(result.busiestSecond).toBeLessThanOrEqual(50);
  });

  // Every 429 costs the whole run a pause of at least 1 s (Retry-After counts whole seconds), and
  // finding the limit takes three: the first burst (the bucket's size), the ramp (its rate within
  // about ±20%), then one probe (within ±1%). Three seconds of sixty is 5% on its own, so a
  // minute is too short to amortise them; `npm run bench` measures P2 over 120 s.
  test('--rate unset for 60 s: >= 0.94 of the limit, < 1% of 429 (measured: 0.941, 0.28%)', async () => {
    const result = await simulate({ serverRate: 50, seconds: 60, seed: 1, retryAfter: 'seconds' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.94);
    expect(result.refusedShare).toBeLessThan(0.01);
  });

  test.each([1, 2, 3])('--rate unset for 120 s, seed %i: >= 0.96 of the limit, < 1% of 429 (measured: 0.969-0.971, 0.12-0.22%)', async (seed) => {
    const result = await simulate({ serverRate: 50, seconds: 120, seed, retryAfter: 'seconds' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.96);
    expect(result.refusedShare).toBeLessThan(0.01);
  });

  // The ceiling only drifts up after 300 s without a refusal: drifting at once cost a refusal
  // every 30-80 s (0.959 over 120 s, 0.974 over 300 s).
  test('--rate unset for 300 s: no 429 after the discovery, >= 0.98 of the limit (measured: 0.987, 0.05%)', async () => {
    const result = await simulate({ serverRate: 50, seconds: 300, seed: 1, retryAfter: 'seconds' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.98);
    expect(result.refusedShare).toBeLessThan(0.01);
    expect(result.refusedAt.filter((at) => at > 30_000)).toEqual([]);
  });

  test('--rate unset for 60 s, 429 without Retry-After: the shorter backoff lets it reach >= 0.95 (measured: 0.974, 0.27%)', async () => {
    const result = await simulate({ serverRate: 50, seconds: 60, seed: 1, retryAfter: 'none' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.95);
    expect(result.refusedShare).toBeLessThan(0.01);
  });

  test('--rate 80, above the server: it finds the 50/s itself and never sends more than 80 in a second (measured: 0.929, 0.14%)', async () => {
    const result = await simulate({ serverRate: 50, rate: 80, seconds: 60, seed: 1, retryAfter: 'seconds' });
    expect(result.acceptedShare).toBeGreaterThanOrEqual(0.92);
    expect(result.refusedShare).toBeLessThan(0.01);
    expect(result.busiestSecond).toBeLessThanOrEqual(80);
  });

  test.each([1, 2, 3])('--rate unset for 120 s, seed %i: no refusal of the limit is taken for outside pressure', async (seed) => {
    const result = await simulate({ serverRate: 50, seconds: 120, seed, retryAfter: 'seconds' });
    expect(result.refusedAt.length).toBeGreaterThan(0);
    expect(result.outsideRefusals).toBe(0);
  });

  test('the same seed gives the same run', async () => {
    const first = await simulate({ serverRate: 50, seconds: 20, seed: 7, retryAfter: 'seconds' });
    const second = await simulate({ serverRate: 50, seconds: 20, seed: 7, retryAfter: 'seconds' });
    expect(second).toEqual(first);
  });
});

/**
 * Issue 13, item 8: a server with no limit this run reaches (1e6/s), where another client spends a
 * share of the budget: that share of calls is refused at random, Retry-After: 1, whatever the pace.
 * The calm run is the same 16 workers for 20 s without refusals (7528 accepted).
 */
describe('simulation: 16 workers, 429s at random whatever the rate', () => {
  const calmAccepted = async (seed: number) => (await simulate({ serverRate: 1e6, seconds: 20, seed, retryAfter: 'seconds', outsideShare: 0 })).accepted;

  test.each([1, 2, 3])('10%% refused, seed %i: >= 0.7 of the calm run accepted, the run paused 3 s at most (measured: 0.73-0.82, 1-3 s)', async (seed) => {
    const result = await simulate({ serverRate: 1e6, seconds: 20, seed, retryAfter: 'seconds', outsideShare: 0.1 });
    expect(result.accepted / (await calmAccepted(seed))).toBeGreaterThanOrEqual(0.7);
    expect(Math.round(result.pausedMs)).toBeLessThanOrEqual(3000);
    expect(result.outsideRefusals).toBeGreaterThan(0.9 * result.refusedAt.length);
  });

  test.each([1, 2, 3])('30%% refused, seed %i: >= 0.35 of the calm run accepted, the run paused 3 s at most (measured: 0.39-0.62, 1-3 s)', async (seed) => {
    const result = await simulate({ serverRate: 1e6, seconds: 20, seed, retryAfter: 'seconds', outsideShare: 0.3 });
    expect(result.accepted / (await calmAccepted(seed))).toBeGreaterThanOrEqual(0.35);
    expect(Math.round(result.pausedMs)).toBeLessThanOrEqual(3000);
    expect(result.outsideRefusals).toBeGreaterThan(0.9 * result.refusedAt.length);
  });
});
