import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * `iadvize-erasure verify` end to end: `run` erases a few people through the built CLI, something
 * is left behind (the person chatted again, or the API acknowledged a change it never made), and
 * `verify` must name that request, and only it.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;
let ledgerPath: string;

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-verify-'));
  ledgerPath = join(workDir, 'ledger.jsonl');
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const ALICE = 'alice.marchetti@example.com';
const CHLOE = 'chloe.roussel@example.org';
const CHLOE_PHONE = '06 39 98 01 03';
const DMITRI_PHONE = '+44 7700 900123';
const REQUESTS = `request_id,email,phone\nR-ALICE,${ALICE},\nR-CHLOE,${CHLOE},${CHLOE_PHONE}\nR-DMITRI,,${DMITRI_PHONE}\nR-NOBODY,nobody@example.org,\n`;
/** Everything personal in the input, in the spellings a leak could take. */
const PERSONAL = [ALICE, CHLOE, CHLOE_PHONE, '0639980103', '+33639980103', DMITRI_PHONE, '+447700900123', '7700900123', 'nobody@example.org', STATIC_TOKEN];
const CREDENTIALS = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };

async function writeInput(name: string, content: string = REQUESTS): Promise<string> {
  const path = join(workDir, name);
  await writeFile(path, content, 'utf8');
  return path;
}

async function run(inputs: string[]): Promise<CliResult> {
  return runCli(
    ['run', ...inputs, '--ledger', ledgerPath, '--report', join(workDir, 'run.report.csv'), '--endpoint', simulator.graphqlUrl, '--default-country', 'FR'],
    CREDENTIALS,
  );
}

interface VerifyOutcome extends CliResult {
  report: string;
  /** request_id → its report row, by column name. */
  rows: Record<string, Record<string, string>>;
}

/** verify with no project ids in the environment: they come from the ledger. */
async function verify(args: string[] = [], env: Record<string, string> = {}): Promise<VerifyOutcome> {
  const reportPath = join(workDir, 'verify.csv');
  await rm(reportPath, { force: true });
  const result = await runCli(['verify', '--ledger', ledgerPath, '--report', reportPath, '--endpoint', simulator.graphqlUrl, ...args], {
    IADVIZE_TOKEN: STATIC_TOKEN,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const report = await readFile(reportPath, 'utf8').catch(() => '');
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

async function ledgerEvents(): Promise<Record<string, unknown>[]> {
  const text = await readFile(ledgerPath, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function visitorOf(email: string, projectId: number): string {
  return dataset.visitors.find((visitor) => visitor.email === email && visitor.projectId === projectId)!.id;
}

/** The person chats again after the run: a new closed conversation that mentions their e-mail. */
function chatAgain(email: string): string {
  const id = randomUUID();
  simulator.store.addConversation({
    id,
    projectId: 6949,
    visitorId: visitorOf(email, 6949),
    createdAt: new Date(Date.now() - 1000).toISOString(),
    messages: [{ author: 'visitor', text: `Bonjour, c'est encore moi, ${email}, pour ma commande.` }],
  });
  return id;
}

function expectNoPersonalData(...outputs: string[]): void {
  const written = outputs.join('\n').toLowerCase();
  for (const secret of PERSONAL) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
}

describe('verify catches a target left unerased', () => {
  test('the person chatted again after the run: only their request is remaining, with the new conversation; a run after --reopen erases it', async () => {
    const input = await writeInput('requests.csv');
    expect((await run([input])).code).toBe(0);
    const newConversation = chatAgain(ALICE);
    const mutationsAfterRun = simulator.mutationCalls.length;

    const first = await verify();

    expect(first.code).toBe(3);
    expect(first.rows['R-ALICE']).toEqual({
      request_id: 'R-ALICE',
      result: 'remaining',
      conversations_found: '1',
      visitors_found: '0',
      found_ids: `conversation:${newConversation}`,
      reason: '',
    });
    expect(first.rows['R-CHLOE']?.result).toBe('clean');
    expect(first.rows['R-DMITRI']?.result).toBe('clean');
    expect(Object.keys(first.rows).sort()).toEqual(['R-ALICE', 'R-CHLOE', 'R-DMITRI']);
    expect(first.stdout).toMatch(/^ {2}Verified +2 clean, 1 remaining$/m);
    expect(first.stdout).toMatch(/^ {2}Not checked +1 no_match \(not completed\)$/m);
    expect(first.stdout).toMatch(/still holds data: reopen.*\n +iadvize-erasure verify .*--reopen$/m);
    expect(simulator.mutationCalls).toHaveLength(mutationsAfterRun);
    expectNoPersonalData(first.stdout, first.stderr, first.report, await readFile(ledgerPath, 'utf8'));

    const reopened = await verify(['--reopen']);
    expect(reopened.code).toBe(3);
    expect(reopened.stdout).toMatch(/^ {2}Reopened +1 request, recorded as failed in the ledger$/m);
    expect(reopened.stdout).toMatch(/1 request reopened: run again .*\n +iadvize-erasure run \S+requests\.csv --ledger \S+$/m);
    expect(simulator.mutationCalls).toHaveLength(mutationsAfterRun);
    const lastRequestEvent = (await ledgerEvents()).filter((event) => event.type === 'request' && event.requestId === 'R-ALICE').at(-1);
    expect(lastRequestEvent).toMatchObject({ status: 'failed', reason: 'verify found 1 conversations and 0 visitors still matching' });

    const rerun = await run([input]);
    expect(rerun.code).toBe(0);
    expect(simulator.store.conversations.get(newConversation)?.anonymized).toBe(true);

    const last = await verify();
    expect(last.code).toBe(0);
    expect(Object.values(last.rows).map((row) => row.result)).toEqual(['clean', 'clean', 'clean']);
    expectNoPersonalData(reopened.stdout, reopened.stderr, last.stdout, last.stderr, last.report, await readFile(ledgerPath, 'utf8'));
  });

  test('the API acknowledged a visitor anonymization it never applied: that visitor is remaining, and --reopen makes the next run send it again', async () => {
    simulator.faults.script({ kind: 'acknowledged_not_applied', operationName: 'VisitorAnonymize' });
    const input = await writeInput('requests.csv');
    expect((await run([input])).code).toBe(0);
    const lie = simulator.mutationCalls.find((call) => call.result === 'not_applied')!;
    const owners: Record<string, string> = {
      [visitorOf(ALICE, 6949)]: 'R-ALICE',
      [visitorOf(ALICE, 7012)]: 'R-ALICE',
      [visitorOf(CHLOE, 6949)]: 'R-CHLOE',
      [dataset.visitors.find((visitor) => visitor.phoneNumber === '+447700900123')!.id]: 'R-DMITRI',
    };
    // every visitor the run reached is found by one of the requests' e-mails or phones
    const visitorTargets = (await ledgerEvents()).filter((event) => event.type === 'target' && event.kind === 'visitor').map((event) => event.id);
    expect([...new Set(visitorTargets)].sort()).toEqual(Object.keys(owners).sort());
    const owner = owners[lie.targetId]!;

    const found = await verify(['--reopen']);

    expect(found.code).toBe(3);
    expect(found.rows[owner]).toMatchObject({ result: 'remaining', conversations_found: '0', visitors_found: '1', found_ids: `visitor:${lie.targetId}` });
    for (const other of ['R-ALICE', 'R-CHLOE', 'R-DMITRI'].filter((id) => id !== owner)) expect(found.rows[other]?.result).toBe('clean');
    const lastTargetEvent = (await ledgerEvents()).filter((event) => event.type === 'target' && event.id === lie.targetId).at(-1);
    expect(lastTargetEvent).toMatchObject({ status: 'failed', error: { name: 'STILL_FOUND' } });

    const mutationsBefore = simulator.mutationCalls.length;
    expect((await run([input])).code).toBe(0);
    expect(simulator.mutationCalls.slice(mutationsBefore)).toEqual([
      expect.objectContaining({ field: 'visitorAnonymize', targetId: lie.targetId, result: 'anonymized' }),
    ]);

    const last = await verify();
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/^ {2}Verified +3 clean$/m);
    expectNoPersonalData(found.stdout, found.stderr, found.report, last.stdout, last.stderr, await readFile(ledgerPath, 'utf8'));
  });
});

describe('what verify can vouch for', () => {
  test('an input no longer at its recorded path leaves its requests not_checked (exit 2) until it is given where it is now', async () => {
    const input = await writeInput('requests.csv');
    expect((await run([input])).code).toBe(0);
    await mkdir(join(workDir, 'done'));
    const moved = join(workDir, 'done', 'requests.csv');
    await rename(input, moved);
    const callsBefore = simulator.stats.graphqlRequests;

    const missing = await verify();

    expect(missing.code).toBe(2);
    expect(Object.values(missing.rows).map((row) => row.result)).toEqual(['not_checked', 'not_checked', 'not_checked']);
    expect(missing.rows['R-ALICE']?.reason).toBe('input file cannot be read (ENOENT); pass it on the command line if it moved');
    expect(simulator.stats.graphqlRequests).toBe(callsBefore);

    const given = await verify([moved]);
    expect(given.code).toBe(0);
    expect(Object.values(given.rows).map((row) => row.result)).toEqual(['clean', 'clean', 'clean']);
  });

  test('a file whose bytes no run read is refused when given (exit 1), and leaves its requests not_checked at its recorded path', async () => {
    const input = await writeInput('requests.csv');
    expect((await run([input])).code).toBe(0);
    const edited = await writeInput('edited.csv', REQUESTS.replace('R-NOBODY', 'R-SOMEONE'));
    await writeFile(input, REQUESTS.replace(ALICE, 'alice@example.com'), 'utf8');
    const callsBefore = simulator.stats.graphqlRequests;

    const refused = await verify([edited]);
    const changed = await verify();

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`iadvize-erasure: request file ${edited} is not one this ledger recorded`);
    expect(refused.report).toBe('');
    expect(changed.code).toBe(2);
    expect(changed.rows['R-CHLOE']).toMatchObject({ result: 'not_checked', reason: 'input file changed since the run; pass the file as the run read it' });
    expect(simulator.stats.graphqlRequests).toBe(callsBefore);
    expectNoPersonalData(refused.stdout, refused.stderr, changed.stdout, changed.stderr, changed.report);
  });

  test('no ledger, or a refused token, is exit 1; --reopen while a run holds the lock is exit 4', async () => {
    const missingLedger = await verify();
    expect(missingLedger.code).toBe(1);
    expect(missingLedger.stderr).toContain(`iadvize-erasure: no ledger at ${ledgerPath}`);

    const input = await writeInput('requests.csv');
    expect((await run([input])).code).toBe(0);
    const refused = await verify([], { IADVIZE_TOKEN: 'revoked-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('iadvize-erasure: the API refused the credentials (UNAUTHENTICATED)');

    const holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), runId: 'a-run-in-progress' };
    await writeFile(`${ledgerPath}.lock`, `${JSON.stringify(holder)}\n`);
    const ledgerBefore = await readFile(ledgerPath, 'utf8');
    const locked = await verify(['--reopen']);
    expect(locked.code).toBe(4);
    expect(await readFile(ledgerPath, 'utf8')).toBe(ledgerBefore);
  });

  test('--help lists the exit codes', async () => {
    const help = await runCli(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0 .*clean\n\s+1 .*\n\s+2 .*not_checked.*\n\s+3 .*still found/);
  });
});
