import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Outputs that cannot be written, beyond a folder or a file in the way (outputPaths.test.ts): a
 * FIFO or device at the path, a path on a filesystem that takes no new file, a read-only folder.
 * Each is one line naming the path and why, exit 1, no stack, before any API call.
 */

let simulator: Simulator;
let workDir: string;
let input: string;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-unwritable-'));
  input = join(workDir, 'requests.csv');
  await writeFile(input, 'request_id,email\nA1,alice.marchetti@example.com\n', 'utf8');
});

afterEach(async () => {
  await simulator.close();
  await chmod(join(workDir, 'read-only'), 0o700).catch(() => {});
  await rm(workDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--endpoint', simulator.graphqlUrl], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' }, 20_000);
}

function expectOneLine(result: CliResult, path: string, why: string): void {
  expect(result.stderr).toBe(`iadvize-erasure: cannot write ${path}: ${why}\n`);
  expect(result.code).toBe(1);
  expect(simulator.stats.graphqlRequests).toBe(0);
}

async function fifo(name: string): Promise<string> {
  const path = join(workDir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('a FIFO where an output should go (before: the ledger replay blocked on it, the report was renamed over it)', () => {
  test('run --ledger', async () => {
    const ledger = await fifo('ledger.jsonl');
    expectOneLine(await cli(['run', input, '--ledger', ledger, '--report', join(workDir, 'report.csv')]), ledger, 'not a regular file');
  });

  test('run --report: the FIFO is still one', async () => {
    const report = await fifo('report.csv');
    expectOneLine(await cli(['run', input, '--ledger', join(workDir, 'ledger.jsonl'), '--report', report]), report, 'not a regular file');
    expect((await stat(report)).isFIFO()).toBe(true);
  });

  test('plan --out', async () => {
    const out = await fifo('plan.json');
    expectOneLine(await cli(['plan', input, '--out', out]), out, 'not a regular file');
  });
});

describe('a filesystem or folder that takes no new file', () => {
  test('--ledger under /proc: the path and the system code', async () => {
    const ledger = '/proc/iadvize-erasure-test.jsonl';
    const result = await cli(['run', input, '--ledger', ledger, '--report', join(workDir, 'report.csv')]);
    expect(result.stderr).toMatch(/^iadvize-erasure: cannot write \/proc\/iadvize-erasure-test\.jsonl: E[A-Z]+\n$/);
    expect(result.code).toBe(1);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  // root writes into a read-only folder all the same: only another user can see EACCES here
  (process.getuid?.() === 0 ? test.skip : test)('--report in a read-only folder: EACCES', async () => {
    const folder = join(workDir, 'read-only');
    await mkdir(folder);
    await chmod(folder, 0o500);
    const report = join(folder, 'report.csv');
    expectOneLine(await cli(['run', input, '--ledger', join(workDir, 'ledger.jsonl'), '--report', report]), report, 'EACCES');
  });
});
