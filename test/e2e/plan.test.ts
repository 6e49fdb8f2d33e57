import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import type { Plan } from '../../src/plan/plan.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * `plan`, `apply` and `--approve`, and `--shard`: the built CLI against the simulator serving the
 * fixture account. A plan is reviewed between the two commands, so apply must do exactly what it says.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;

const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };
// R1 and R2 resolve to a few targets each; HELD's search reaches other people's chats too.
const REQUESTS = `request_id,email,phone,search\nR1,alice.marchetti@example.com,,\nR2,,+447700900123,\nHELD,,,livraison\nNONE,nobody@example.org,,\nBAD,not-an-email,,\n`;

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-plan-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const path = (name: string) => join(workDir, name);

async function writeInput(content = REQUESTS): Promise<string> {
  await writeFile(path('requests.csv'), content, 'utf8');
  return path('requests.csv');
}

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--endpoint', simulator.graphqlUrl], ENV);
}

async function makePlan(extra: string[] = []): Promise<{ result: CliResult; plan: Plan }> {
  const result = await cli(['plan', await writeInput(), '--out', path('plan.json'), ...extra]);
  return { result, plan: JSON.parse(await readFile(path('plan.json'), 'utf8')) as Plan };
}

function apply(extra: string[] = []): Promise<CliResult> {
  return cli(['apply', path('plan.json'), '--ledger', path('ledger.jsonl'), '--report', path('report.csv'), ...extra]);
}

async function ledgerEvents(name = 'ledger.jsonl'): Promise<Record<string, unknown>[]> {
  const text = await readFile(path(name), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function lastStatuses(events: Record<string, unknown>[]): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const event of events) if (event.type === 'request') statuses[String(event.requestId)] = String(event.status);
  return statuses;
}

function mutatedIds(): string[] {
  return simulator.mutationCalls.map((call) => call.targetId).sort();
}

function entry(plan: Plan, requestId: string) {
  return plan.requests.find((request) => request.requestId === requestId)!;
}

describe('plan', () => {
  test('resolves without mutating: targets per request, the held request with its targets, input hashes, counts', async () => {
    const { result, plan } = await makePlan();

    expect(result.code).toBe(2); // HELD and BAD need a person
    expect(simulator.mutationCalls).toEqual([]);
    expect(plan.format).toBe('iadvize-erasure-plan/1');
    expect(plan.inputs).toEqual([{ file: path('requests.csv'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(Object.fromEntries(plan.requests.map((request) => [request.requestId, request.status]))).toEqual({
      R1: 'planned',
      R2: 'planned',
      HELD: 'needs_review',
      NONE: 'no_match',
      BAD: 'rejected',
    });
    const alice = dataset.visitors.filter((visitor) => visitor.email === 'alice.marchetti@example.com').map((visitor) => visitor.id);
    expect(entry(plan, 'R1').visitors).toEqual([...alice].sort());
    expect(entry(plan, 'R1').conversations.length).toBeGreaterThan(0);
    expect(entry(plan, 'HELD').visitors.length).toBeGreaterThan(5);
    expect(entry(plan, 'HELD').reason).toMatch(/^reached \d+ visitors \(limit 5\)/);
    expect(entry(plan, 'BAD').reason).toMatch(/^line 6: /);
    const planned = new Set([...entry(plan, 'R1').conversations, ...entry(plan, 'R2').conversations]);
    expect(plan.counts.planned.conversations).toBe(planned.size);
    expect(plan.counts.held.visitors).toBe(entry(plan, 'HELD').visitors.length);
    expect(await readFile(path('plan.report.csv'), 'utf8')).toContain('needs_review');
  });

  test('the plan, its report and the output hold no e-mail, phone or search string', async () => {
    const { result } = await makePlan();

    const written = [result.stdout, result.stderr, await readFile(path('plan.json'), 'utf8'), await readFile(path('plan.report.csv'), 'utf8')].join('\n');
    for (const secret of ['alice.marchetti', 'marchetti', '447700900123', '7700 900123', 'livraison', 'nobody@', 'not-an-email']) {
      expect({ secret, found: written.toLowerCase().includes(secret) }).toEqual({ secret, found: false });
    }
    // with no --ledger, the dry run's ledger is scratch: nothing but the plan and its report is left
    expect((await readdir(workDir)).sort()).toEqual(['plan.json', 'plan.report.csv', 'requests.csv']);
  });
});

describe('apply', () => {
  test('executes exactly the plan: its planned targets, no query but the preflight, held requests kept held', async () => {
    const { plan } = await makePlan();
    const requestsBefore = simulator.stats.graphqlRequests;

    const result = await apply();

    expect(result.code).toBe(2);
    const planned = [...entry(plan, 'R1').conversations, ...entry(plan, 'R1').visitors, ...entry(plan, 'R2').conversations, ...entry(plan, 'R2').visitors];
    expect(mutatedIds()).toEqual([...new Set(planned)].sort());
    // the preflight's one check per project (src/run/preflight.ts), then mutations only
    expect(simulator.stats.graphqlRequests - requestsBefore).toBe(2 + simulator.mutationCalls.length);
    const events = await ledgerEvents();
    expect(lastStatuses(events)).toEqual({ R1: 'completed', R2: 'completed', HELD: 'needs_review', NONE: 'no_match', BAD: 'rejected' });
    const run = events.find((event) => event.type === 'run')!;
    expect(run.plan).toEqual({ file: path('plan.json'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), planId: plan.planId });
    expect(run.inputs).toEqual(plan.inputs);
  });

  test('--approve releases a held request with the targets the plan listed for it, and the ledger says so', async () => {
    const { plan } = await makePlan();

    const result = await apply(['--approve', 'HELD']);

    expect(result.code).toBe(2); // BAD is still rejected
    const held = entry(plan, 'HELD');
    for (const id of [...held.conversations, ...held.visitors]) expect(mutatedIds()).toContain(id);
    const events = await ledgerEvents();
    const request = events.filter((event) => event.type === 'request' && event.requestId === 'HELD').at(-1)!;
    expect(request).toMatchObject({ status: 'completed', approved: true, reason: expect.stringMatching(/released by --approve$/) });
    expect(events.find((event) => event.type === 'run')!.approved).toEqual(['HELD']);
  });

  test('a plan written before evidence (no per-target list) still applies: its held requests are held whole, --approve releases them', async () => {
    const { plan } = await makePlan();
    const legacy = { ...plan, requests: plan.requests.map(({ targets: _targets, ...request }) => request) };
    await writeFile(path('plan.json'), JSON.stringify(legacy), 'utf8');
    const held = entry(plan, 'HELD');
    const planned = new Set([
      ...entry(plan, 'R1').conversations,
      ...entry(plan, 'R1').visitors,
      ...entry(plan, 'R2').conversations,
      ...entry(plan, 'R2').visitors,
    ]);

    const applied = await apply();
    const afterApply = mutatedIds();
    const released = await apply(['--approve', 'HELD']);

    expect(applied.code).toBe(2);
    // what the held request shares with a planned one (Alice's chat about a delivery) is erased for that one
    for (const id of [...held.conversations, ...held.visitors].filter((id) => !planned.has(id))) expect(afterApply).not.toContain(id);
    expect(afterApply).toEqual(expect.arrayContaining([...entry(plan, 'R1').conversations, ...entry(plan, 'R1').visitors]));
    expect(released.code).toBe(2);
    for (const id of [...held.conversations, ...held.visitors]) expect(mutatedIds()).toContain(id);
  });

  test('a plan whose input changed since is refused before any call', async () => {
    await makePlan();
    await appendFile(path('requests.csv'), 'R9,chloe.roussel@example.org,,\n', 'utf8');
    const requestsBefore = simulator.stats.graphqlRequests;

    const result = await apply();

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`its input ${path('requests.csv')} changed since the plan was made`);
    expect(simulator.stats.graphqlRequests).toBe(requestsBefore);
    await expect(readFile(path('ledger.jsonl'))).rejects.toThrow();
  });

  test('a plan whose input is gone is refused: nothing shows it unchanged', async () => {
    await makePlan();
    await rm(path('requests.csv'));

    const result = await apply();

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/its input .*requests\.csv cannot be read \(ENOENT\)/);
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('--approve naming a request the plan does not hold is refused: a typo must not pass', async () => {
    await makePlan();

    const result = await apply(['--approve', 'HELD,R1', '--approve', 'HLED']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--approve names requests the plan does not hold for review: R1, HLED');
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('an edited plan with a target that is not a UUID is refused', async () => {
    const { plan } = await makePlan();
    entry(plan, 'R1').conversations.push('12345');
    await writeFile(path('plan.json'), JSON.stringify(plan), 'utf8');

    const result = await apply();

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a plan this version can apply: request #\d+: conversations and visitors must be lists of UUIDs/);
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('apply records how the plan read its files (country, encoding, date order) and keeps an unknown deadline unknown', async () => {
    await writeInput('request_id;email;phone;received_at\nR1;;06 39 98 01 03;15/11/2026\nR2;bruno.keller@example.net;;31/02/2026\n');
    await cli(['plan', path('requests.csv'), '--out', path('plan.json'), '--default-country', 'FR', '--date-order', 'dmy', '--encoding', 'utf-8']);

    const result = await apply();

    expect(result.code).toBe(0);
    const events = await ledgerEvents();
    const runEvent = events.find((event) => event.type === 'run')!;
    expect(runEvent.options).toMatchObject({ defaultCountry: 'FR', encoding: 'utf-8', dateOrder: 'dmy' });
    const requests = events.filter((event) => event.type === 'request');
    expect(requests.find((event) => event.requestId === 'R1')).toMatchObject({ status: 'completed', receivedAt: '2026-11-15T00:00:00.000Z' });
    expect(requests.find((event) => event.requestId === 'R2')).toMatchObject({ status: 'completed', receivedAtUnreadable: true });
    expect(await readFile(path('report.csv'), 'utf8')).toMatch(/^R2,completed,.*,unknown,/m);
  });

  test('applying again with the same ledger resumes: nothing is sent twice', async () => {
    await makePlan();
    const first = await apply();
    const mutations = simulator.mutationCalls.length;

    const second = await apply();

    expect(first.code).toBe(2);
    expect(second.code).toBe(2);
    expect(simulator.mutationCalls).toHaveLength(mutations);
    expect(await readFile(path('report.csv'), 'utf8')).toContain('completed');
  });
});

describe('run --approve', () => {
  test('releases a held request in the same run; others stay guarded', async () => {
    const input = await writeFile(path('r.csv'), 'request_id,search\nHELD,livraison\nALSO,commande\n', 'utf8').then(() => path('r.csv'));

    const result = await cli([
      'run',
      input,
      '--ledger',
      path('ledger.jsonl'),
      '--report',
      path('report.csv'),
      '--max-visitors-per-request',
      '3',
      '--approve',
      'HELD',
    ]);

    const statuses = lastStatuses(await ledgerEvents());
    expect(statuses.HELD).toBe('completed');
    expect(statuses.ALSO).toBe('needs_review');
    expect(result.code).toBe(2);
    expect(simulator.mutationCalls.length).toBeGreaterThan(5);
  });
});

describe('--shard', () => {
  test('shards split the requests: each is processed by exactly one, and together they cover the file', async () => {
    const rows = Array.from({ length: 24 }, (_, n) => `S${n},nobody${n}@example.org`).join('\n');
    await writeFile(path('r.csv'), `request_id,email\n${rows}\n`, 'utf8');

    const results = await Promise.all(
      [0, 1, 2].map((index) => cli(['run', path('r.csv'), '--shard', `${index}/3`, '--ledger', path(`l${index}.jsonl`), '--report', path(`r${index}.csv`)])),
    );

    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
    const perShard = await Promise.all([0, 1, 2].map(async (index) => Object.keys(lastStatuses(await ledgerEvents(`l${index}.jsonl`)))));
    const all = perShard.flat();
    expect(all.sort()).toEqual(Array.from({ length: 24 }, (_, n) => `S${n}`).sort());
    expect(new Set(all).size).toBe(24);
    for (const ids of perShard) expect(ids.length).toBeGreaterThan(0);
  });

  test('a malformed --shard is a usage error', async () => {
    const result = await cli(['run', await writeInput(), '--shard', '3/3']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--shard must be index/count');
  });
});
