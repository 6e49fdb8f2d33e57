import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * The end summary of run, plan, apply, verify and watch --once (docs/design.md#end-summary): as
 * text, and with --json as one JSON object (watch: JSON Lines). The built CLI against the
 * simulator, in a work directory with relative paths, as an operator types them.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;

const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };
// R1 is erased; HELD's search reaches other people's chats too (held); BAD, line 4, is rejected; NONE finds nobody.
const REQUESTS = `request_id,email,search\nR1,alice.marchetti@example.com,\nHELD,,livraison\nBAD,not-an-email,\nNONE,nobody@example.org,\n`;
const PERSONAL = [/alice/i, /marchetti/i, /chloe/i, /roussel/i, /dmitri/i, /livraison/i, /not-an-email/, /nobody@/, /@example/];

const SUMMARY_KEYS = [
  'summaryVersion',
  'type',
  'command',
  'outcome',
  'exitCode',
  'durationMs',
  'requests',
  'targets',
  'held',
  'api',
  'files',
  'next',
  'stoppedBecause',
].sort();
const REQUEST_STATUSES = ['completed', 'no_match', 'needs_review', 'rejected', 'failed', 'planned'].sort();
const TARGET_STATUSES = ['anonymized', 'already_anonymized', 'failed', 'planned'].sort();

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-summary-'));
  await writeFile(join(workDir, 'requests.csv'), REQUESTS, 'utf8');
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--endpoint', simulator.graphqlUrl], ENV, 60_000, workDir);
}

type Json = Record<string, unknown>;

/** stdout holds one JSON object and nothing else. */
function onlyObject(result: CliResult): Json {
  const lines = result.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  return JSON.parse(lines[0]!) as Json;
}

/** The shape every summary object has, with the keys of each command's own part. */
function expectSummaryShape(summary: Json, command: string, exitCode: number | null, extra: string[] = []): void {
  expect(Object.keys(summary).sort()).toEqual([...SUMMARY_KEYS, ...extra].sort());
  expect(summary).toMatchObject({ summaryVersion: 1, type: 'summary', command, exitCode });
  expect(typeof summary.durationMs).toBe('number');
  expect(Object.keys(summary.api as Json).sort()).toEqual(['calls', 'rateLimited', 'retries']);
  expect(Object.keys(summary.held as Json).sort()).toEqual(['conversations', 'visitors']);
  for (const step of summary.next as Json[]) {
    expect(Object.keys(step).sort()).toEqual(['command', 'reason']);
    expect(typeof step.reason).toBe('string');
  }
}

function expectNoPersonalData(...texts: string[]): void {
  for (const text of texts) for (const pattern of PERSONAL) expect(text).not.toMatch(pattern);
}

/** A line's width, the commands' own lines excepted (they carry the simulator's URL). */
function expectReadableWidth(text: string): void {
  for (const line of text.split('\n')) if (!line.startsWith('      iadvize-erasure ')) expect(line.length).toBeLessThanOrEqual(100);
}

describe('run', () => {
  test('text: counts by status, targets, held, API calls, the files, and the next steps with their command lines', async () => {
    const result = await cli(['run', 'requests.csv']);

    expect(result.code).toBe(2);
    const text = result.stdout;
    expect(text).toMatch(/^run: done, but some requests need a person \(exit 2, \d+\.\d s\)\n/);
    expect(text).toMatch(/^ {2}Requests +1 completed, 1 no_match, 1 needs_review, 1 rejected$/m);
    expect(text).toMatch(/^ {2}Targets +\d+ anonymized/m);
    expect(text).toMatch(/^ {2}Held +\d+ conversations? and \d+ visitors?, for a person's decision$/m);
    expect(text).toMatch(/^ {2}API +\d+ calls, 0 retries, 0 rate-limited \(429\)$/m);
    expect(text).toMatch(/^ {2}Ledger +erasure\.ledger\.jsonl$/m);
    expect(text).toMatch(/^ {2}Report +erasure\.report\.csv$/m);
    const again = `iadvize-erasure run requests.csv --endpoint ${simulator.graphqlUrl}`;
    expect(text).toContain(`\n  - 1 request rejected: fix line 4 of requests.csv, then run again\n      ${again}\n`);
    expect(text).toContain(
      '\n  - 1 request needs a decision: review (the page saves the decisions and applies them)\n      iadvize-erasure review erasure.ledger.jsonl\n',
    );
    expect(text).toContain('\n  - verify it: nothing erased should be found any more\n      iadvize-erasure verify --ledger erasure.ledger.jsonl\n');
    expectReadableWidth(text);
    expectNoPersonalData(result.stdout, result.stderr);
  });

  test('--json: one object on stdout, every status counted, the same next steps', async () => {
    const result = await cli(['run', 'requests.csv', '--json', '--ledger', 'j.ledger.jsonl', '--report', 'j.report.csv']);

    expect(result.code).toBe(2);
    const summary = onlyObject(result);
    expectSummaryShape(summary, 'run', 2);
    expect(summary.outcome).toBe('needs_person');
    expect(summary.requests).toEqual({ completed: 1, no_match: 1, needs_review: 1, rejected: 1, failed: 0, planned: 0 });
    expect(Object.keys(summary.targets as Json).sort()).toEqual(TARGET_STATUSES);
    expect((summary.targets as Json).anonymized).toBeGreaterThan(0);
    expect((summary.api as Json).calls).toBeGreaterThan(0);
    expect(summary.files).toEqual({ ledger: 'j.ledger.jsonl', report: 'j.report.csv' });
    expect(summary.stoppedBecause).toBeNull();
    expect((summary.next as Json[]).map((step) => step.command)).toEqual([
      `iadvize-erasure run requests.csv --json --ledger j.ledger.jsonl --report j.report.csv --endpoint ${simulator.graphqlUrl}`,
      'iadvize-erasure review j.ledger.jsonl',
      'iadvize-erasure verify --ledger j.ledger.jsonl',
    ]);
    expectNoPersonalData(result.stdout, result.stderr);
  });

  test('a target the API refuses for good: "1 target failed: run the same command again", exit 3, with and without --json', async () => {
    await simulator.close();
    simulator = await startSimulator({ dataset: { ...dataset, users: [{ ...dataset.users[0]!, projectIds: [6949] }] } });
    const ukVisitor = dataset.visitors.find((visitor) => visitor.projectId === 7012 && visitor.anonymized !== true)!.id;
    await writeFile(join(workDir, 'uk.csv'), `request_id,visitor_id\nUK1,${ukVisitor}\n`, 'utf8');

    const text = await cli(['run', 'uk.csv', '--project-ids', '6949']);
    const json = await cli(['run', 'uk.csv', '--project-ids', '6949', '--json']);

    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^run: ended with failures \(exit 3, /);
    expect(text.stdout).toContain(
      `\n  - 1 target failed: run the same command again\n      iadvize-erasure run uk.csv --project-ids 6949 --endpoint ${simulator.graphqlUrl}\n`,
    );
    expect(text.stdout).not.toContain('verify it');
    expect(json.code).toBe(3);
    const summary = onlyObject(json);
    expectSummaryShape(summary, 'run', 3);
    expect(summary).toMatchObject({ outcome: 'failed_targets', requests: { failed: 1 }, targets: { failed: 1 } });
    expect((summary.next as Json[])[0]).toEqual({
      reason: '1 target failed: run the same command again',
      command: `iadvize-erasure run uk.csv --project-ids 6949 --json --endpoint ${simulator.graphqlUrl}`,
    });
  });
});

describe('plan and apply', () => {
  test('plan: the plan file, what it erases and holds, review or apply it next; --json the same as one object', async () => {
    const text = await cli(['plan', 'requests.csv']);
    const json = await cli(['plan', 'requests.csv', '--out', 'p.json', '--json']);

    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^plan: done, but some requests need a person \(exit 2, /);
    expect(text.stdout).toMatch(/^ {2}Requests +1 no_match, 1 needs_review, 1 rejected, 1 planned$/m);
    expect(text.stdout).toMatch(/^ {2}To erase +\d+ conversations? and \d+ visitors?$/m);
    expect(text.stdout).toMatch(/^ {2}Plan +plan\.json$/m);
    expect(text.stdout).toMatch(/^ {2}Report +plan\.report\.csv$/m);
    expect(text.stdout).toContain('\n      iadvize-erasure review plan.json\n');
    expect(text.stdout).toContain('\n      iadvize-erasure apply plan.json\n');
    expectReadableWidth(text.stdout);

    expect(json.code).toBe(2);
    const summary = onlyObject(json);
    expectSummaryShape(summary, 'plan', 2, ['plan']);
    expect(summary.files).toEqual({ plan: 'p.json', report: 'p.report.csv' });
    expect(Object.keys(summary.requests as Json).sort()).toEqual(REQUEST_STATUSES);
    expect(summary.plan).toMatchObject({ written: true, planned: { conversations: expect.any(Number), visitors: expect.any(Number) } });
    expect(summary.next).toEqual([
      {
        reason: '1 request rejected: fix line 4 of requests.csv, then run again',
        command: `iadvize-erasure plan requests.csv --out p.json --json --endpoint ${simulator.graphqlUrl}`,
      },
      { reason: '1 request holds targets for a decision: review the plan on the local page', command: 'iadvize-erasure review p.json' },
      { reason: 'or apply it as it is (held targets stay): erase what it lists', command: 'iadvize-erasure apply p.json' },
    ]);
    expectNoPersonalData(text.stdout, text.stderr, json.stdout, json.stderr);
  });

  test('apply: what it erased, its ledger and report, and verify next; --json the same as one object', async () => {
    expect((await cli(['plan', 'requests.csv'])).code).toBe(2);

    const text = await cli(['apply', 'plan.json']);
    const json = await cli(['apply', 'plan.json', '--ledger', 'j.ledger.jsonl', '--report', 'j.report.csv', '--json']);

    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^apply: done, but some requests need a person \(exit 2, /);
    expect(text.stdout).toMatch(/^ {2}Requests +1 completed, 1 no_match, 1 needs_review, 1 rejected$/m);
    expect(text.stdout).toMatch(/^ {2}Targets +\d+ anonymized$/m);
    expect(text.stdout).toContain('\n      iadvize-erasure review erasure.ledger.jsonl\n');
    expect(text.stdout).toContain('\n      iadvize-erasure verify --ledger erasure.ledger.jsonl\n');
    expect(json.code).toBe(2);
    const summary = onlyObject(json);
    expectSummaryShape(summary, 'apply', 2);
    expect(summary.files).toEqual({ ledger: 'j.ledger.jsonl', report: 'j.report.csv' });
    // the first apply erased them: the second finds them done already
    expect(summary.targets).toMatchObject({ anonymized: 0, failed: 0 });
    expect((summary.targets as Json).already_anonymized).toBeGreaterThan(0);
    expectNoPersonalData(text.stdout, text.stderr, json.stdout, json.stderr);
  });
});

describe('verify', () => {
  test('text: verified by result, what was read back, the reports, and the evidence report next; --json the same', async () => {
    expect((await cli(['run', 'requests.csv'])).code).toBe(2);

    const text = await cli(['verify']);
    const json = await cli(['verify', '--json', '--report', 'v.csv']);

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^verify: every request checked is clean \(exit 0, /);
    expect(text.stdout).toMatch(/^ {2}Verified +1 clean$/m);
    expect(text.stdout).toMatch(/^ {2}Not checked +1 no_match, 1 needs_review, 1 rejected \(not completed\)$/m);
    expect(text.stdout).toMatch(/^ {2}Read back +\d+ profiles and \d+ conversations empty, 0 remaining, 0 not read$/m);
    expect(text.stdout).toMatch(/^ {2}Verify CSV +erasure\.verify\.csv$/m);
    expect(text.stdout).toContain(
      '\n  - write the evidence report for the data-protection officer\n' +
        '      iadvize-erasure report --ledger erasure.ledger.jsonl --verify-report erasure.verify.csv --html evidence.html\n',
    );
    expectReadableWidth(text.stdout);

    expect(json.code).toBe(0);
    const summary = onlyObject(json);
    expectSummaryShape(summary, 'verify', 0, ['verify']);
    expect(summary.requests).toEqual({ clean: 1, remaining: 0, not_checked: 0, failed: 0 });
    expect(Object.keys(summary.targets as Json).sort()).toEqual(['conversations_empty', 'not_read', 'profiles_empty', 'remaining']);
    expect(summary.files).toEqual({ ledger: 'erasure.ledger.jsonl', verifyReport: 'v.csv', readBackReport: 'v.readback.csv' });
    expect(summary.verify).toEqual({ notCompleted: { completed: 0, no_match: 1, needs_review: 1, rejected: 1, failed: 0, planned: 0 }, reopened: 0 });
    expectNoPersonalData(text.stdout, text.stderr, json.stdout, json.stderr);
  });
});

describe('watch --once', () => {
  async function drop(name: string, content: string): Promise<void> {
    await mkdir(join(workDir, 'drop', 'inbox'), { recursive: true });
    await writeFile(join(workDir, 'drop', 'inbox', name), content, 'utf8');
  }

  test('a line per file (result, counts, its ledger), then the summary of the folder; --json: a JSON object per line', async () => {
    await drop('a.csv', REQUESTS);
    await drop('b.csv', `request_id,email\nB1,chloe.roussel@example.org\n`);

    const text = await cli(['watch', 'drop', '--once', '--quiet', '0.1']);

    expect(text.code).toBe(2);
    const done = await readdir(join(workDir, 'drop', 'done'));
    const claimedA = done.find((name) => name.endsWith('-a.csv'))!;
    const claimedB = done.find((name) => name.endsWith('-b.csv'))!;
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^done +a\\.csv: requests 1 completed, 1 no_match, 1 needs_review, 1 rejected; targets \\d+ anonymized[^;]*; .* s; ledger drop/done/${claimedA}\\.ledger\\.jsonl$`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^done +b\\.csv: requests 1 completed; targets \\d+ anonymized[^;]*; .* s; ledger drop/done/${claimedB}\\.ledger\\.jsonl$`),
    );
    expect(lines[2]).toMatch(/^watch: done, but some requests need a person \(exit 2, /);
    expect(text.stdout).toMatch(/^ {2}Files +2 done$/m);
    expect(text.stdout).toMatch(/^ {2}Requests +2 completed, 1 no_match, 1 needs_review, 1 rejected$/m);
    expect(text.stdout).toMatch(/^ {2}Folder +drop$/m);
    expect(text.stdout).toContain('\n  - a.csv: 1 request rejected: fix line 4 of a.csv, then drop it again\n');
    expect(text.stdout).toContain(`\n      iadvize-erasure review drop/done/${claimedA}.ledger.jsonl\n`);
    expect(text.stdout).toContain(`\n      iadvize-erasure verify --ledger drop/done/${claimedB}.ledger.jsonl\n`);

    await drop('c.csv', `request_id,email\nC1,dmitri.volkov@example.com\n`);
    await drop('d.csv', `request_id,email\nB1,chloe.roussel@example.org\n`);
    const json = await cli(['watch', 'drop', '--once', '--quiet', '0.1', '--json']);

    expect(json.code).toBe(0);
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
    expect(objects.map((object) => [object.type, (object.file as Json | undefined)?.name, (object.file as Json | undefined)?.result])).toEqual([
      ['file', 'c.csv', 'done'],
      ['file', 'd.csv', 'duplicate'],
      ['summary', undefined, undefined],
    ]);
    const [c, d, end] = objects as [Json, Json, Json];
    expectSummaryShape({ ...c, type: 'summary' }, 'watch', 0, ['file']);
    expect(c.type).toBe('file');
    expect(Object.keys(c.file as Json).sort()).toEqual(['claimedAs', 'duplicateOf', 'error', 'name', 'result']);
    expect(Object.keys(c.files as Json).sort()).toEqual(['input', 'ledger', 'report', 'summary']);
    expect((c.api as Json).calls).toBeGreaterThan(0);
    expect(d).toMatchObject({ file: { result: 'duplicate', duplicateOf: 'b.csv' }, api: { calls: 0 } });
    expectSummaryShape(end, 'watch', 0, ['watch']);
    expect(end).toMatchObject({ outcome: 'ok', files: { folder: 'drop' }, watch: { files: { done: 1, failed: 0, duplicate: 1, interrupted: 0 } } });
    expect((end.api as Json).calls).toBe((c.api as Json).calls);
    expectNoPersonalData(text.stdout, text.stderr, json.stdout, json.stderr);
  }, 60_000);
});
