import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Where the outputs go: checked before the first API call, written for their owner only unless
 * --umask says otherwise. The tests run as root, so access is not what they test (a read-only
 * folder does not stop root): a folder where a file should be (EISDIR), a file where a folder
 * should be (ENOTDIR), and the modes.
 */

let simulator: Simulator;
let workDir: string;
let input: string;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-outputs-'));
  input = join(workDir, 'requests.csv');
  await writeFile(input, 'request_id,email\nA1,alice.marchetti@example.com\n', 'utf8');
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--endpoint', simulator.graphqlUrl], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' });
}

const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

/** One line naming the path and the code: no "internal error", no stack frame, no row. */
function expectOneLine(result: CliResult, path: string, code: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`iadvize-erasure: cannot write ${path}: ${code}\n`);
}

describe('an output that cannot be written fails before the first API call', () => {
  test('run: a folder at the report path is EISDIR, exit 1, and nothing is sent', async () => {
    const report = join(workDir, 'report.csv');
    await mkdir(report);
    const result = await cli(['run', input, '--ledger', join(workDir, 'ledger.jsonl'), '--report', report]);
    expectOneLine(result, report, 'EISDIR');
    expect(simulator.stats.graphqlRequests).toBe(0);
    expect(simulator.mutationCalls).toEqual([]);
  });

  test("run: a file where the ledger's folder should be is ENOTDIR, exit 1, and nothing is sent", async () => {
    const ledger = join(input, 'ledgers', 'ledger.jsonl');
    const result = await cli(['run', input, '--ledger', ledger, '--report', join(workDir, 'report.csv')]);
    expectOneLine(result, ledger, 'ENOTDIR');
    expect(simulator.stats.graphqlRequests).toBe(0);
    expect(existsSync(join(workDir, 'report.csv'))).toBe(false);
  });

  test('plan: a folder at the --out path is EISDIR before any query', async () => {
    const out = join(workDir, 'plan.json');
    await mkdir(out);
    const result = await cli(['plan', input, '--out', out]);
    expectOneLine(result, out, 'EISDIR');
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  test('verify: a folder at the report path is EISDIR before any query', async () => {
    const ledger = join(workDir, 'ledger.jsonl');
    expect((await cli(['run', input, '--ledger', ledger, '--report', join(workDir, 'report.csv')])).code).toBe(0);
    const callsAfterRun = simulator.stats.graphqlRequests;
    const report = join(workDir, 'verify.csv');
    await mkdir(report);
    const result = await cli(['verify', input, '--ledger', ledger, '--report', report]);
    expectOneLine(result, report, 'EISDIR');
    expect(simulator.stats.graphqlRequests).toBe(callsAfterRun);
  });
});

describe('modes', () => {
  test('run: ledger and report are 600 and the folders it creates 700; --umask 027 gives 640 and 750', async () => {
    for (const [umask, file, folder] of [
      [undefined, '600', '700'],
      ['027', '640', '750'],
    ] as const) {
      const out = join(workDir, `out-${umask ?? 'default'}`, 'nested');
      const result = await cli([
        'run',
        input,
        '--ledger',
        join(out, 'ledger.jsonl'),
        '--report',
        join(out, 'report.csv'),
        ...(umask !== undefined ? ['--umask', umask] : []),
      ]);
      expect(result.code).toBe(0);
      expect(await modeOf(join(out, 'ledger.jsonl'))).toBe(file);
      expect(await modeOf(join(out, 'report.csv'))).toBe(file);
      expect(await modeOf(out)).toBe(folder);
      expect(await modeOf(join(out, '..'))).toBe(folder);
    }
  });

  test('verify and apply: what they write is 600 too', async () => {
    const plan = join(workDir, 'plan.json');
    expect((await cli(['plan', input, '--out', plan])).code).toBe(0);
    const ledger = join(workDir, 'applied', 'ledger.jsonl');
    expect((await cli(['apply', plan, '--ledger', ledger, '--report', join(workDir, 'applied', 'report.csv')])).code).toBe(0);
    expect(await modeOf(ledger)).toBe('600');
    expect(await modeOf(join(workDir, 'applied', 'report.csv'))).toBe('600');
    expect(await modeOf(join(workDir, 'applied'))).toBe('700');
    const verifyReport = join(workDir, 'verify.csv');
    expect((await cli(['verify', input, '--ledger', ledger, '--report', verifyReport])).code).toBe(0);
    expect(await modeOf(verifyReport)).toBe('600');
  });

  test('plan: the plan and its report are 600', async () => {
    const out = join(workDir, 'plan.json');
    expect((await cli(['plan', input, '--out', out])).code).toBe(0);
    expect(await modeOf(out)).toBe('600');
    expect(await modeOf(join(workDir, 'plan.report.csv'))).toBe('600');
  });
});
