import { EventEmitter } from 'node:events';
import { describe, expect, test } from '@jest/globals';
import { StatusLine } from '../../src/logging/statusLine.js';
import { startProgressLine, type Progress } from '../../src/run/progressLine.js';
import { virtualTime } from '../helpers/virtualTime.js';

/** A terminal whose width a test changes, telling the line as a real one does ('resize'). */
class FakeTerminal extends EventEmitter {
  readonly writes: string[] = [];
  constructor(public columns: number) {
    super();
  }
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  resize(columns: number): void {
    this.columns = columns;
    this.emit('resize');
  }
}

// Redraws come from resizes in these tests: the timer's are real time.
const HOUR_MS = 3_600_000;

function start(terminal: FakeTerminal, read: () => Progress, nowMs: () => number) {
  return startProgressLine(read, { status: new StatusLine(terminal), resizes: terminal, nowMs, redrawMs: HOUR_MS });
}

describe('startProgressLine', () => {
  test('draws at once, again in place at each resize cut to the new width, and once more as its final state, ending the line', () => {
    const terminal = new FakeTerminal(120);
    const clock = virtualTime({ frozen: true, startMs: 0 });
    let progress: Progress = { requestsResolved: 0, requestsTotal: undefined, targetsDone: 0, targetsFound: 0 };
    const stop = start(terminal, () => progress, clock.nowMs);

    progress = { requestsResolved: 30, requestsTotal: 100, targetsDone: 40, targetsFound: 45 };
    clock.advance(12_000);
    terminal.resize(40);
    progress = { requestsResolved: 100, requestsTotal: 100, targetsDone: 150, targetsFound: 150 };
    clock.advance(8_000);
    terminal.resize(120);
    stop();
    stop();

    expect(terminal.writes).toEqual([
      '0 requests | 0/0 targets done',
      '\r\x1b[K30/100 requests 30% | ETA 28s',
      '\r\x1b[K100/100 requests 100% | 150/150 targets done | 5.0 req/s',
      '\r\x1b[K100/100 requests 100% | 150/150 targets done | 5.0 req/s | in 20s\n',
    ]);
    expect(terminal.listenerCount('resize')).toBe(0);
  });

  test('the final state never shows fewer requests than drawn before: a stop leaves the counts where they were', () => {
    const terminal = new FakeTerminal(100);
    const clock = virtualTime({ frozen: true, startMs: 0 });
    let resolved = 50;
    const stop = start(terminal, () => ({ requestsResolved: resolved, requestsTotal: 80, targetsDone: resolved, targetsFound: 60 }), clock.nowMs);

    clock.advance(2_000);
    resolved = 41;
    stop();

    expect(terminal.writes.at(-1)).toBe('\r\x1b[K50/80 requests 62% | 50/60 targets done | 25.0 req/s | in 2s\n');
  });

  test('log lines written meanwhile go above the line, which is drawn again under them', () => {
    const terminal = new FakeTerminal(100);
    const status = new StatusLine(terminal);
    const stop = startProgressLine(() => ({ requestsResolved: 1, requestsTotal: 2, targetsDone: 0, targetsFound: 0 }), {
      status,
      nowMs: () => 0,
      redrawMs: HOUR_MS,
    });

    status.writeAbove('12:00:00 WARN: row rejected\n');
    stop();

    expect(terminal.writes).toEqual([
      '1/2 requests 50% | 0/0 targets done',
      '\r\x1b[K12:00:00 WARN: row rejected\n1/2 requests 50% | 0/0 targets done',
      '\r\x1b[K1/2 requests 50% | 0/0 targets done | in 0s\n',
    ]);
  });
});
