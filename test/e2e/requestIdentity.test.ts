import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * A request is the same request only if its content is (issue "Nothing lost, nothing leaked"): an id
 * reused by another file, run or person never makes a request skipped, merged or overwritten. The
 * built CLI against the simulator's fixture account; every case failed on the code before.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-identity-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

type Event = Record<string, unknown>;
const path = (...parts: string[]) => join(workDir, ...parts);

async function input(name: string, content: string): Promise<string> {
  await mkdir(join(workDir, name, '..'), { recursive: true });
  await writeFile(path(name), content, 'utf8');
  return path(name);
}

async function run(
  files: string[],
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult & { events: Event[]; report: Record<string, string>[] }> {
  const result = await runCli(
    ['run', ...files, '--ledger', path('ledger.jsonl'), '--report', path('report.csv'), '--endpoint', simulator.graphqlUrl, ...extra],
    {
      IADVIZE_TOKEN: STATIC_TOKEN,
      IADVIZE_PROJECT_IDS: '6949,7012',
      ...env,
    },
  );
  const ledger = await readFile(path('ledger.jsonl'), 'utf8').catch(() => '');
  const events = ledger
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Event);
  const report = parse(await readFile(path('report.csv'), 'utf8').catch(() => ''), { bom: true, columns: true }) as Record<string, string>[];
  return { ...result, events, report };
}

const visitorOf = (email: string, projectId = 6949) => dataset.visitors.find((visitor) => visitor.email === email && visitor.projectId === projectId)!.id;
const erased = (visitorId: string) => simulator.store.visitors.get(visitorId)?.anonymized === true;
const statusById = (report: Record<string, string>[]) => Object.fromEntries(report.map((row) => [row.request_id, row.status]));

describe('an id reused for another request', () => {
  test('the same file name and line in two folders, run one after the other on one ledger: both people are erased', async () => {
    const first = await run([await input('w1/requests.csv', 'email\nhugo.petit@example.com\n')]);
    const second = await run([await input('w2/requests.csv', 'email\nines.moreau@example.com\n')]);

    expect([first.code, second.code]).toEqual([0, 0]);
    expect(erased(visitorOf('hugo.petit@example.com'))).toBe(true);
    expect(erased(visitorOf('ines.moreau@example.com'))).toBe(true);
    const ids = second.report.map((row) => row.request_id).sort();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe('requests.csv:L2');
    expect(ids[1]).toMatch(/^requests\.csv:L2~[0-9a-f]{8}$/);
    expect(statusById(second.report)).toEqual({ [ids[0]!]: 'completed', [ids[1]!]: 'completed' });
    const renamed = second.events.find((event) => event.type === 'request' && event.requestId === ids[1])!;
    expect(renamed).toMatchObject({ fileRequestId: 'requests.csv:L2', reason: expect.stringContaining('was used in this ledger for a different request') });
  });

  test('an explicit id reused in a later file, with IADVIZE_PII_KEY set, is processed under a distinct id', async () => {
    const env = { IADVIZE_PII_KEY: 'a-test-key' };
    await run([await input('a.csv', 'request_id,email\nREQ-1,jules.garnier@example.com\n')], [], env);
    const later = await run([await input('b.csv', 'request_id,email\nREQ-1,lea.fontaine@example.com\n')], [], env);

    expect(later.code).toBe(0);
    expect(erased(visitorOf('lea.fontaine@example.com'))).toBe(true);
    expect(later.report.map((row) => [row.request_id!.replace(/~[0-9a-f]{8}$/, '~x'), row.status])).toEqual([
      ['REQ-1', 'completed'],
      ['REQ-1~x', 'completed'],
    ]);
  });

  test('the same file run again is the same request: skipped, nothing sent twice', async () => {
    const file = await input('a.csv', 'request_id,email\nREQ-1,jules.garnier@example.com\n');
    await run([file]);
    const sent = simulator.mutationCalls.length;

    const again = await run([file]);

    expect(again.code).toBe(0);
    expect(simulator.mutationCalls).toHaveLength(sent);
    expect(again.report.map((row) => row.request_id)).toEqual(['REQ-1']);
  });

  test('a completed request is not overwritten by a later run of the same file that reads it otherwise', async () => {
    const file = await input('f.csv', 'request_id,phone\nTEL-1,06 39 98 01 03\n');
    const first = await run([file], ['--default-country', 'FR']);
    const withoutCountry = await run([file]);

    expect(first.code).toBe(0);
    expect(withoutCountry.code).toBe(0);
    expect(statusById(withoutCountry.report)).toEqual({ 'TEL-1': 'completed' });
  });

  test('the digest key lives beside the ledger, mode 600, and nothing in the ledger is it', async () => {
    await run([await input('a.csv', 'request_id,email\nREQ-1,jules.garnier@example.com\n')]);

    const key = (await readFile(path('ledger.jsonl.key'), 'utf8')).trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(path('ledger.jsonl.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path('ledger.jsonl'), 'utf8')).not.toContain(key);
  });
});

describe('one id in two inputs of one run', () => {
  test('R-1 in a.csv and in b.csv with different people: each has its outcome, both are erased', async () => {
    const outcome = await run([
      await input('a.csv', 'request_id,email\nR-1,hugo.petit@example.com\n'),
      await input('b.csv', 'request_id,email\nR-1,ines.moreau@example.com\n'),
    ]);

    expect(outcome.code).toBe(0);
    expect(erased(visitorOf('hugo.petit@example.com'))).toBe(true);
    expect(erased(visitorOf('ines.moreau@example.com'))).toBe(true);
    const rows = outcome.report.map((row) => [row.request_id!.replace(/~[0-9a-f]{8}$/, '~x'), row.status, row.source!.replace(/^.*\//, '')]);
    expect(rows).toEqual([
      ['R-1', 'completed', 'a.csv:2'],
      ['R-1~x', 'completed', 'b.csv:2'],
    ]);
  });

  test('x/requests.csv and y/requests.csv without request_id: the derived ids name enough of the path', async () => {
    const outcome = await run([
      await input('x/requests.csv', 'email\nhugo.petit@example.com\n'),
      await input('y/requests.csv', 'email\nines.moreau@example.com\n'),
    ]);

    expect(outcome.code).toBe(0);
    expect(statusById(outcome.report)).toEqual({ 'x/requests.csv:L2': 'completed', 'y/requests.csv:L2': 'completed' });
    const runEvent = outcome.events.find((event) => event.type === 'run')!;
    expect((runEvent.inputs as Event[]).map((entry) => entry.idBase)).toEqual(['x/requests.csv', 'y/requests.csv']);
  });
});

describe('two requests for the same person', () => {
  const tickets = 'request_id,email\nT-1,chloe.roussel@example.org\nT-2,chloe.roussel@example.org\n';

  test('the second is credited with what the first erased, never no_match, with or without a crash between', async () => {
    const together = await run([await input('t.csv', tickets)], ['--concurrency', '1']);
    const credited = (report: Record<string, string>[], id: string) => report.find((row) => row.request_id === id)!;

    expect(together.code).toBe(0);
    expect(credited(together.report, 'T-2')).toMatchObject({ status: 'completed', conversations: credited(together.report, 'T-1').conversations });
    expect(Number(credited(together.report, 'T-2').conversations)).toBeGreaterThan(0);

    // the same two tickets on a fresh account, the first alone before "the crash", both after
    await simulator.close();
    simulator = await startSimulator({ dataset });
    await rm(path('ledger.jsonl'));
    await rm(path('ledger.jsonl.key'));
    await run([await input('t.csv', 'request_id,email\nT-1,chloe.roussel@example.org\n')]);
    const after = await run([await input('t.csv', tickets)], ['--concurrency', '1']);

    expect(after.code).toBe(0);
    expect(after.report.map((row) => [row.request_id, row.status, row.conversations, row.visitors])).toEqual(
      together.report.map((row) => [row.request_id, row.status, row.conversations, row.visitors]),
    );
  });
});

describe("a request's status follows its targets", () => {
  test('a target shared by two requests fails for the first and is erased for the second: both end completed', async () => {
    const chloe = visitorOf('chloe.roussel@example.org');
    for (let n = 0; n < 6; n++) simulator.faults.script({ kind: 'bad_gateway', operationName: 'VisitorAnonymize' });

    const outcome = await run([await input('s.csv', `request_id,visitor_id\nS-1,${chloe}\nS-2,${chloe}\n`)], ['--concurrency', '1']);

    expect(erased(chloe)).toBe(true);
    expect(statusById(outcome.report)).toEqual({ 'S-1': 'completed', 'S-2': 'completed' });
    expect(outcome.code).toBe(0);
    const firstOutcome = outcome.events.filter((event) => event.type === 'request' && event.requestId === 'S-1').map((event) => event.status);
    expect(firstOutcome).toEqual(['failed', 'completed']);
  });
});

describe('a ledger of another account', () => {
  test('written for another endpoint: refused before any call, exit 1, naming both; --force-ledger uses it', async () => {
    const file = await input('a.csv', 'request_id,email\nREQ-1,jules.garnier@example.com\n');
    await run([file]);
    const calls = simulator.stats.graphqlRequests;
    const other = simulator.graphqlUrl.replace('/graphql', '/graphql?platform=sd');

    const refused = await runCli(['run', file, '--ledger', path('ledger.jsonl'), '--report', path('report.csv'), '--endpoint', other], {
      IADVIZE_TOKEN: STATIC_TOKEN,
      IADVIZE_PROJECT_IDS: '6949,7012',
    });
    const forced = await runCli(['run', file, '--ledger', path('ledger.jsonl'), '--report', path('report.csv'), '--endpoint', other, '--force-ledger'], {
      IADVIZE_TOKEN: STATIC_TOKEN,
      IADVIZE_PROJECT_IDS: '6949,7012',
    });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`was written for the endpoint ${simulator.graphqlUrl}, not ${other}`);
    expect(refused.stderr).not.toContain('internal error');
    expect(forced.code).toBe(0);
    // the forced run's preflight checks the two projects; its requests were settled, so nothing else is asked
    expect(simulator.stats.graphqlRequests).toBe(calls + 2);
  });

  test('for projects none of which is searched now: refused', async () => {
    await run([await input('a.csv', 'request_id,email\nREQ-1,jules.garnier@example.com\n')], ['--project-ids', '6949']);

    const refused = await run([path('a.csv')], ['--project-ids', '7012']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was written for projects 6949, none of which is searched now (7012)');
  });

  test('a project added since a request was settled: the request is searched again, there too', async () => {
    const file = await input('a.csv', 'request_id,email\nREQ-1,alice.marchetti@example.com\n');
    await run([file], ['--project-ids', '6949']);
    const uk = visitorOf('alice.marchetti@example.com', 7012);
    expect(erased(uk)).toBe(false);

    const grown = await run([file], ['--project-ids', '6949,7012']);

    expect(grown.code).toBe(0);
    expect(erased(uk)).toBe(true);
    expect(statusById(grown.report)).toEqual({ 'REQ-1': 'completed' });
  });
});

test('nothing these runs write holds an e-mail of the input (renamed ids included)', async () => {
  await run([await input('a.csv', 'request_id,email\nR-1,hugo.petit@example.com\n'), await input('b.csv', 'request_id,email\nR-1,ines.moreau@example.com\n')]);

  const written = await Promise.all(
    (await readdir(workDir)).filter((name) => !name.endsWith('.csv') || name === 'report.csv').map((name) => readFile(path(name), 'utf8')),
  );
  for (const secret of ['hugo', 'petit', 'ines', 'moreau', '@example'])
    expect({ secret, found: written.join('\n').includes(secret) }).toEqual({ secret, found: false });
});
