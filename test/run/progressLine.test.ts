import { describe, expect, test } from '@jest/globals';
import { startProgressLine } from '../../src/run/progressLine.js';
import { virtualTime } from '../helpers/virtualTime.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('startProgressLine', () => {
  test('on a terminal, draws requests resolved, targets done of total and the rate, then ends the line', () => {
    const { writes, stream } = fakeStream(true);
    const clock = virtualTime({ frozen: true, startMs: 0 });
    const stop = startProgressLine(() => ({ requestsResolved: 3, targetsDone: 20, targetsTotal: 50 }), stream, clock.nowMs);

    clock.advance(4000);
    stop();

    expect(writes).toEqual(['\r\x1b[K3 requests resolved · 20/50 targets done · 5.0/s', '\n']);
  });

  test('off a terminal, writes nothing', () => {
    const { writes, stream } = fakeStream(false);

    startProgressLine(() => ({ requestsResolved: 1, targetsDone: 1, targetsTotal: 1 }), stream)();

    expect(writes).toEqual([]);
  });
});
