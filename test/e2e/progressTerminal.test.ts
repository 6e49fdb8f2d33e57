import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, waitFor } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';
import { runCliInTerminal } from '../helpers/terminalCli.js';

/**
 * The progress line and the log lines as a person at a terminal sees them (issue 16, item 2): the
 * built CLI under a pseudo-terminal against the simulator. Where the progress is looked at, every
 * call takes at least LATENCY_MS, so the run lasts long enough for the line to be redrawn several times.
 */

const REQUESTS = 120;
const LATENCY_MS = 30;
const COLUMNS = 60;
const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };

let simulator: Simulator;
let workDir: string;
let input: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-e2e-progress-'));
  const rows = Array.from({ length: REQUESTS - 3 }, (_, index) => `R${index},nobody-${index}@example.org`);
  rows.push('R-alice,alice.marchetti@example.com', 'R-bruno,bruno.keller@example.net', 'R-bad,not-an-email');
  input = join(workDir, 'requests.csv');
  await writeFile(input, `request_id,email\n${rows.join('\n')}\n`, 'utf8');
});

afterEach(async () => {
  await simulator?.close();
  await rm(workDir, { recursive: true, force: true });
});

async function start(latencyMs = 0): Promise<void> {
  simulator = await startSimulator({ faults: { latencyMs } });
}

function runArgs(extra: string[] = [], ledger = 'ledger.jsonl'): string[] {
  return ['run', input, '--ledger', join(workDir, ledger), '--report', join(workDir, `${ledger}.report.csv`), '--endpoint', simulator.graphqlUrl, ...extra];
}

/** The pieces the terminal shows between two carriage returns or line ends, colours and line clears left out. */
function screenPieces(output: string): string[] {
  return output
    .replace(/\x1b\[[0-9;]*[mK]/g, '')
    .split(/\r\n|\r|\n/)
    .filter((piece) => piece !== '');
}

/** The progress line's states, in the order drawn. */
function progressFrames(output: string): string[] {
  return screenPieces(output).filter((piece) => /^[\d,]+(\/[\d,]+)? requests\b/.test(piece));
}

function resolvedIn(frame: string): number {
  return Number(/^([\d,]+)/.exec(frame)![1]!.replace(/,/g, ''));
}

function isJsonLogLine(piece: string): boolean {
  try {
    const parsed = JSON.parse(piece) as { level?: unknown; msg?: unknown };
    return typeof parsed.level === 'number' && typeof parsed.msg === 'string';
  } catch {
    return false;
  }
}

async function requestEvents(): Promise<number> {
  const ledger = await readFile(join(workDir, 'ledger.jsonl'), 'utf8');
  return ledger.split('\n').filter((line) => line.includes('"type":"request"')).length;
}

describe('on a terminal', () => {
  test('the progress is redrawn in place, cut to the width, never going back, ending on the total; logs are for a person', async () => {
    await start(LATENCY_MS);
    const { code, output } = await runCliInTerminal(runArgs(['--concurrency', '2']), ENV, { columns: COLUMNS }).done;

    const frames = progressFrames(output);
    expect(code).toBe(2);
    expect(output).toContain('\r\x1b[K');
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of frames) expect(frame.length).toBeLessThan(COLUMNS);
    const counts = frames.map(resolvedIn);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(frames.filter((frame) => frame.includes(`/${REQUESTS} requests`)).length).toBeGreaterThanOrEqual(2);
    expect(frames.at(-1)).toMatch(new RegExp(`^${REQUESTS}/${REQUESTS} requests 100% \\| ([1-9]\\d*)/\\1 targets done \\| .*in \\d+s$`));
    // the final state is drawn once
    expect(frames.filter((frame) => / in \d+s$/.test(frame))).toHaveLength(1);

    const pieces = screenPieces(output);
    expect(pieces.filter(isJsonLogLine)).toEqual([]);
    expect(pieces.some((piece) => /^\[\d\d:\d\d:\d\d\] INFO: run started\b/.test(piece))).toBe(true);
    expect(pieces.some((piece) => /^\[\d\d:\d\d:\d\d\] WARN: row rejected\b/.test(piece))).toBe(true);
    // one line a request would scroll the progress away: those are debug on a terminal
    expect(output).not.toContain('request finished');
    // a log line is written whole, then the progress drawn again: neither starts in the middle of the other
    expect(pieces.filter((piece) => /.\[\d\d:\d\d:\d\d\] [A-Z]+:/.test(piece) || /[^\d,][\d,]+\/[\d,]+ requests \d+%/.test(piece))).toEqual([]);
  });

  test('Ctrl-C: the run stops cleanly, its final state drawn once and never below a count shown before', async () => {
    await start(LATENCY_MS);
    const terminal = runCliInTerminal(runArgs(['--concurrency', '1']), ENV, { columns: 100 });
    await waitFor(() => progressFrames(terminal.output()).some((frame) => resolvedIn(frame) >= 10));

    terminal.type('\x03');
    const { code, output } = await terminal.done;

    const frames = progressFrames(output);
    const finals = frames.filter((frame) => / in \d+s$/.test(frame));
    expect(code).toBe(130);
    expect(finals).toHaveLength(1);
    const final = resolvedIn(finals[0]!);
    expect(final).toBeLessThan(REQUESTS);
    expect(final).toBeGreaterThanOrEqual(Math.max(...frames.map(resolvedIn)));
    // what it shows is what the ledger holds: requests finished, none cut short
    expect(await requestEvents()).toBe(final);
    expect(screenPieces(output).join('\n')).toMatch(/WARN: stopping: no new work/);
  });

  test('LOG_FORMAT=json: JSON log lines, every one of them, and no progress between them', async () => {
    await start();
    const { code, output } = await runCliInTerminal(runArgs(['--concurrency', '4']), { ...ENV, LOG_FORMAT: 'json' }, { columns: COLUMNS }).done;

    const logLines = screenPieces(output).filter((piece) => piece.startsWith('{'));
    expect(code).toBe(2);
    expect(progressFrames(output)).toEqual([]);
    expect(output).not.toContain('\x1b[K');
    expect(logLines.every(isJsonLogLine)).toBe(true);
    expect(logLines.filter((line) => line.includes('"msg":"request finished"'))).toHaveLength(REQUESTS);
  });
});

describe('off a terminal', () => {
  test('stderr to a file: no progress, and JSON log lines with one per request, as operators parse them', async () => {
    await start();
    const stderrFile = join(workDir, 'stderr.log');

    const { code, output } = await runCliInTerminal(runArgs(['--concurrency', '4']), ENV, { columns: COLUMNS, stderrTo: stderrFile }).done;

    const stderr = await readFile(stderrFile, 'utf8');
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(code).toBe(2);
    expect(progressFrames(output)).toEqual([]);
    expect(progressFrames(stderr)).toEqual([]);
    expect(stderr).not.toContain('\r');
    expect(lines.every(isJsonLogLine)).toBe(true);
    expect(lines.filter((line) => line.includes('"msg":"request finished"'))).toHaveLength(REQUESTS);
  });

  test('LOG_FORMAT=pretty off a terminal: lines for a person without colours, one a request only with LOG_LEVEL=debug', async () => {
    await start();
    const quiet = await runCli(runArgs(), { ...ENV, LOG_FORMAT: 'pretty' });
    const verbose = await runCli(runArgs([], 'verbose.jsonl'), { ...ENV, LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' });

    expect(quiet.stderr).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: run started /m);
    expect(quiet.stderr).not.toContain('\x1b[');
    expect(quiet.stderr).not.toContain('request finished');
    expect(verbose.stderr.match(/^\[\d\d:\d\d:\d\d\] DEBUG: request finished /gm)).toHaveLength(REQUESTS);
  });
});
