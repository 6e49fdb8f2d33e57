import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_COLUMNS } from '../../src/ledger/writeReport.js';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * verify after every path that completes requests (issue 15, item 4): `plan` then `apply`, with
 * relative or absolute paths and each command from its own working directory, and `watch`, whose
 * input has moved to done/ beside its ledger by the time anyone verifies. (After `run`: verify.test.ts.)
 */

let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-verify-paths-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const ALICE = 'alice.marchetti@example.com';
const CHLOE = 'chloe.roussel@example.org';
// national: read only with the plan's --default-country FR
const CHLOE_PHONE = '06 39 98 01 03';
const DMITRI_PHONE = '+44 7700 900123';
const REQUESTS = `request_id,email,phone\nR-ALICE,${ALICE},\nR-CHLOE,,${CHLOE_PHONE}\nR-DMITRI,,${DMITRI_PHONE}\n`;
const PERSONAL = [ALICE, CHLOE, CHLOE_PHONE, '0639980103', '+33639980103', '639980103', DMITRI_PHONE, '+447700900123', '7700900123', STATIC_TOKEN];
const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };

/** A folder of the work directory, created: each command runs in its own. */
async function folder(name: string): Promise<string> {
  const path = join(workDir, name);
  await mkdir(path, { recursive: true });
  return path;
}

function cli(args: string[], cwd: string, env: Record<string, string> = ENV): Promise<CliResult> {
  return runCli([...args, '--endpoint', simulator.graphqlUrl], env, 60_000, cwd);
}

interface VerifyOutcome extends CliResult {
  report: string;
  /** request_id → its report row, by column name. */
  rows: Record<string, Record<string, string>>;
}

/** verify with no project ids in the environment: they come from the ledger. */
async function verify(args: string[], cwd: string): Promise<VerifyOutcome> {
  const result = await cli(['verify', ...args, '--report', 'verify.csv'], cwd, { IADVIZE_TOKEN: STATIC_TOKEN });
  const report = await readFile(join(cwd, 'verify.csv'), 'utf8').catch(() => '');
  await rm(join(cwd, 'verify.csv'), { force: true });
  const [header, ...lines] = report
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '');
  const columns = header?.split(',') ?? [];
  const rows: VerifyOutcome['rows'] = {};
  for (const line of lines) {
    const cells = line.split(',');
    rows[cells[0]!] = Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  }
  return { ...result, report, rows };
}

function results(outcome: VerifyOutcome): Record<string, string> {
  return Object.fromEntries(Object.entries(outcome.rows).map(([requestId, row]) => [requestId, row.result!]));
}

async function ledgerEvents(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectNoPersonalData(...outputs: string[]): void {
  const written = outputs.join('\n').toLowerCase();
  for (const secret of PERSONAL) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
}

const ALL_CLEAN = { 'R-ALICE': 'clean', 'R-CHLOE': 'clean', 'R-DMITRI': 'clean' };

describe('verify after plan and apply', () => {
  test.each([
    ['relative', () => 'requests.csv'],
    ['absolute', (inputs: string) => join(inputs, 'requests.csv')],
  ] as [string, (inputs: string) => string][])(
    'plan (%s input path) in one directory, apply and verify each from another: every request is checked, read as the plan read it',
    async (_kind, inputArgument) => {
      const inputs = await folder('inputs');
      const applying = await folder('applying');
      const verifying = await folder('verifying');
      await writeFile(join(inputs, 'requests.csv'), REQUESTS, 'utf8');

      const planned = await cli(['plan', inputArgument(inputs), '--out', 'plan.json', '--default-country', 'FR'], inputs);
      expect(planned.code).toBe(0);
      const applied = await cli(['apply', join('..', 'inputs', 'plan.json'), '--ledger', 'ledger.jsonl', '--report', 'report.csv'], applying);
      expect(applied.code).toBe(0);
      const run = (await ledgerEvents(join(applying, 'ledger.jsonl'))).find((event) => event.type === 'run')!;
      expect(run.options).toMatchObject({ defaultCountry: 'FR' });

      const byLedger = await verify(['--ledger', join('..', 'applying', 'ledger.jsonl')], verifying);
      const givenRelative = await verify(['--ledger', join('..', 'applying', 'ledger.jsonl'), join('..', 'inputs', 'requests.csv')], verifying);

      expect({ code: byLedger.code, results: results(byLedger) }).toEqual({ code: 0, results: ALL_CLEAN });
      expect({ code: givenRelative.code, results: results(givenRelative) }).toEqual({ code: 0, results: ALL_CLEAN });
      expectNoPersonalData(
        planned.stdout,
        planned.stderr,
        applied.stdout,
        applied.stderr,
        await readFile(join(inputs, 'plan.json'), 'utf8'),
        await readFile(join(applying, 'ledger.jsonl'), 'utf8'),
        byLedger.stdout,
        byLedger.stderr,
        byLedger.report,
        givenRelative.stdout,
        givenRelative.stderr,
        givenRelative.report,
      );
    },
  );
});

describe('verify after watch', () => {
  test('the ledger in done/ finds its input beside it by SHA-256, and the report names it where it is now', async () => {
    await writeFile(join(await folder('inbox'), 'requests.csv'), REQUESTS, 'utf8');
    const watched = await cli(['watch', workDir, '--once', '--default-country', 'FR'], workDir);
    expect(watched.code).toBe(0);
    const [claimed] = (await readdir(join(workDir, 'done'))).filter((name) => name.endsWith('-requests.csv'));
    expect(claimed).toBeDefined();

    const verified = await verify(['--ledger', join('done', `${claimed}.ledger.jsonl`)], workDir);

    expect({ code: verified.code, results: results(verified) }).toEqual({ code: 0, results: ALL_CLEAN });
    const runReport = await readFile(join(workDir, 'done', `${claimed}.report.csv`), 'utf8');
    const sources = runReport
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[REPORT_COLUMNS.indexOf('source')]);
    expect(sources).toEqual([2, 3, 4].map((line) => `${join(workDir, 'done', claimed!)}:${line}`));
    const ledger = await readFile(join(workDir, 'done', `${claimed}.ledger.jsonl`), 'utf8');
    expectNoPersonalData(watched.stdout, watched.stderr, verified.stdout, verified.stderr, verified.report, runReport, ledger);
  });
});
