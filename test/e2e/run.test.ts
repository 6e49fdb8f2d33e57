import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { PASSWORD, STATIC_TOKEN, USERNAME } from '../helpers/simulatorClient.js';

/**
 * `iadvize-erasure run` end to end: the built CLI as a child process against the simulator,
 * serving the fixture account (fixtures/dataset.json).
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  dataset = await loadDataset();
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-e2e-'));
});

afterEach(async () => {
  await simulator?.close();
  await rm(workDir, { recursive: true, force: true });
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startSimulator({ dataset, ...options });
  return simulator;
}

async function writeInput(name: string, content: string): Promise<string> {
  const path = join(workDir, name);
  await writeFile(path, content, 'utf8');
  return path;
}

interface RunOutcome extends CliResult {
  ledger: Record<string, unknown>[];
  report: string;
  requestStatus: Record<string, string>;
}

async function run(inputs: string[], extraArgs: string[] = [], env: Record<string, string> = {}, ledgerName = 'ledger.jsonl'): Promise<RunOutcome> {
  const ledgerPath = join(workDir, ledgerName);
  const reportPath = join(workDir, `${ledgerName}.report.csv`);
  const result = await runCli(['run', ...inputs, '--ledger', ledgerPath, '--report', reportPath, '--endpoint', simulator.graphqlUrl, ...extraArgs], {
    IADVIZE_TOKEN: STATIC_TOKEN,
    IADVIZE_PROJECT_IDS: '6949,7012',
    ...env,
  });
  const ledgerText = await readFile(ledgerPath, 'utf8').catch(() => '');
  const ledger = ledgerText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestStatus: Record<string, string> = {};
  for (const event of ledger) if (event.type === 'request') requestStatus[String(event.requestId)] = String(event.status);
  return { ...result, ledger, report: await readFile(reportPath, 'utf8').catch(() => ''), requestStatus };
}

function visitorId(email: string, projectId: number): string {
  return dataset.visitors.find((visitor) => visitor.email === email && visitor.projectId === projectId)!.id;
}

function conversationsOf(visitor: string): string[] {
  return dataset.conversations.filter((conversation) => conversation.visitorId === visitor).map((conversation) => conversation.id);
}

function isAnonymized(kind: 'conversation' | 'visitor', id: string): boolean {
  const store = kind === 'conversation' ? simulator.store.conversations : simulator.store.visitors;
  return store.get(id)?.anonymized === true;
}

const RETENTION_DAYS = 3 * 365;
const recentConversationsOf = (visitor: string) =>
  conversationsOf(visitor).filter((id) => (dataset.conversations.find((conversation) => conversation.id === id)!.daysAgo ?? 0) < RETENTION_DAYS);

describe('request files', () => {
  const rows = [
    ['REQ-A', 'alice.marchetti@example.com', '', ''],
    ['REQ-B', '', '+33 6 39 98 01 03', ''],
    ['REQ-C', 'nobody@example.org', '', ''],
    ['REQ-D', 'not-an-email', '', ''],
    ['REQ-E', '', '', 'Lefranc-Aubry'],
  ];

  test('a French-Excel CSV (BOM, ;, CRLF) and the same requests as JSON give the same outcomes', async () => {
    const csv = `\ufeffRequest ID;E-mail;Téléphone;Nom\r\n${rows.map((row) => row.join(';')).join('\r\n')}\r\n`;
    const json = JSON.stringify(rows.map(([request_id, email, phone, name]) => ({ request_id, email, phone, name })));

    await start();
    const fromCsv = await run([await writeInput('requests.csv', csv)], [], {}, 'csv.jsonl');
    const stateAfterCsv = anonymizedIds();
    await simulator.close();
    await start();
    const fromJson = await run([await writeInput('requests.json', json)], [], {}, 'json.jsonl');

    expect(fromCsv.requestStatus).toEqual({ 'REQ-A': 'completed', 'REQ-B': 'completed', 'REQ-C': 'no_match', 'REQ-D': 'rejected', 'REQ-E': 'completed' });
    expect(fromJson.requestStatus).toEqual(fromCsv.requestStatus);
    expect(anonymizedIds()).toEqual(stateAfterCsv);
    expect(fromCsv.code).toBe(2);
    expect(fromJson.code).toBe(2);
    expect(fromCsv.stderr).toContain('"line":5');
  });
});

describe('resolution', () => {
  test('one e-mail with a profile in each project: both profiles and all their recent conversations are erased', async () => {
    await start();
    const email = 'alice.marchetti@example.com';
    const profiles = [visitorId(email, 6949), visitorId(email, 7012)];

    const outcome = await run([await writeInput('r.csv', `request_id,email\nR1,${email}\n`)]);

    expect(outcome.code).toBe(0);
    expect(outcome.requestStatus).toEqual({ R1: 'completed' });
    for (const profile of profiles) {
      expect(isAnonymized('visitor', profile)).toBe(true);
      for (const conversation of recentConversationsOf(profile)) expect(isAnonymized('conversation', conversation)).toBe(true);
    }
    const old = conversationsOf(profiles[0]!).filter((id) => !recentConversationsOf(profiles[0]!).includes(id));
    expect(old).toHaveLength(1);
    expect(isAnonymized('conversation', old[0]!)).toBe(false);
  });

  test("a profile only mentioned by e-mail in another visitor's chat is found, with all its conversations", async () => {
    await start();
    const email = 'bruno.keller@example.net';
    const ownProfile = visitorId(email, 6949);
    const mentioning = dataset.conversations.find((conversation) => conversation.messages.some((message) => message.text.includes(email)))!;
    const anonymousProfile = mentioning.visitorId!;
    expect(anonymousProfile).not.toBe(ownProfile);

    const outcome = await run([await writeInput('r.csv', `request_id,email\nR1,${email}\n`)]);

    expect(outcome.requestStatus).toEqual({ R1: 'completed' });
    for (const profile of [ownProfile, anonymousProfile]) {
      expect(isAnonymized('visitor', profile)).toBe(true);
      for (const conversation of conversationsOf(profile)) expect(isAnonymized('conversation', conversation)).toBe(true);
    }
    expect(conversationsOf(anonymousProfile)).toHaveLength(2);
  });

  test('bystanders whose chats share common words with a request are untouched', async () => {
    await start();
    const bystanders = dataset.visitors.filter((visitor) => visitor.email?.match(/^(hugo|ines|jules|lea|mael|nora|oscar|paula)\./));
    expect(bystanders).toHaveLength(8);

    // Alice's chats say "commande" and "livraison" too; her request must reach only her.
    const outcome = await run([await writeInput('r.csv', `request_id,email\nR1,alice.marchetti@example.com\n`)]);

    expect(outcome.requestStatus).toEqual({ R1: 'completed' });
    for (const bystander of bystanders) {
      expect(isAnonymized('visitor', bystander.id)).toBe(false);
      for (const conversation of conversationsOf(bystander.id)) {
        expect(simulator.store.conversations.get(conversation)?.messages.length).toBeGreaterThan(0);
      }
    }
  });

  test('a broad search is held as needs_review, and nothing of it is anonymized', async () => {
    await start();

    const outcome = await run([await writeInput('r.csv', `request_id,search\nR1,livraison\n`)]);

    expect(outcome.code).toBe(2);
    expect(outcome.requestStatus).toEqual({ R1: 'needs_review' });
    expect(simulator.mutationCalls).toEqual([]);
    const request = outcome.ledger.find((event) => event.type === 'request')!;
    expect(request.visitors).toBeGreaterThan(5);
    expect(request.reason).toMatch(/^reached \d+ visitors \(limit 5\) and \d+ conversations/);
    expect(outcome.report).toContain('needs_review');
  });

  test('a conversation anonymized before the run is recorded as already_anonymized, and the request completes', async () => {
    await start();
    const done = dataset.conversations.find((conversation) => conversation.anonymized)!;

    const outcome = await run([await writeInput('r.csv', `request_id,conversation_id\nR1,${done.id}\n`)]);

    expect(outcome.code).toBe(0);
    expect(outcome.requestStatus).toEqual({ R1: 'completed' });
    const targets = outcome.ledger.filter((event) => event.type === 'target');
    expect(targets).toContainEqual(expect.objectContaining({ kind: 'conversation', id: done.id, status: 'already_anonymized', requestIds: ['R1'] }));
    expect(targets).toContainEqual(expect.objectContaining({ kind: 'visitor', id: done.visitorId, status: 'anonymized' }));
  });

  test('a target two requests share is anonymized once and credited to both', async () => {
    await start();
    const email = 'chloe.roussel@example.org';
    const chloe = visitorId(email, 6949);

    const outcome = await run([await writeInput('r.csv', `request_id,email,visitor_id\nR1,${email},\nR2,,${chloe}\n`)]);

    expect(outcome.requestStatus).toEqual({ R1: 'completed', R2: 'completed' });
    expect(simulator.mutationCalls.filter((call) => call.targetId === chloe)).toHaveLength(1);
    const last = outcome.ledger.filter((event) => event.type === 'target' && event.id === chloe).at(-1)!;
    expect([...(last.requestIds as string[])].sort()).toEqual(['R1', 'R2']);
  });
});

describe('re-running', () => {
  test('a re-run is a no-op: exit 0, no mutation repeated, statuses unchanged', async () => {
    await start();
    const input = await writeInput('r.csv', `request_id,email,phone\nR1,alice.marchetti@example.com,\nR2,,+447700900123\nR3,nobody@example.org,\n`);

    const first = await run([input]);
    const mutationsAfterFirst = simulator.mutationCalls.length;
    const second = await run([input]);

    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(mutationsAfterFirst).toBeGreaterThan(0);
    expect(simulator.mutationCalls).toHaveLength(mutationsAfterFirst);
    expect(second.requestStatus).toEqual({ R1: 'completed', R2: 'completed', R3: 'no_match' });
    expect(second.report).toBe(first.report);
  });

  test('--dry-run resolves and records planned targets without sending a mutation', async () => {
    await start();

    const outcome = await run([await writeInput('r.csv', `request_id,email\nR1,alice.marchetti@example.com\n`)], ['--dry-run']);

    expect(outcome.code).toBe(0);
    expect(simulator.mutationCalls).toEqual([]);
    expect(outcome.requestStatus).toEqual({ R1: 'planned' });
    const targets = outcome.ledger.filter((event) => event.type === 'target');
    expect(targets.length).toBe(5);
    expect(targets.every((event) => event.status === 'planned')).toBe(true);
  });
});

describe('exit codes and credentials', () => {
  test('a target the API refuses for good is failed with its error name, and the run exits 3', async () => {
    const frOnly: Dataset = { ...dataset, users: [{ ...dataset.users[0]!, projectIds: [6949] }] };
    simulator = await startSimulator({ dataset: frOnly });
    const ukVisitor = visitorId('alice.marchetti@example.com', 7012);

    const outcome = await run([await writeInput('r.csv', `request_id,visitor_id\nR1,${ukVisitor}\n`)], ['--project-ids', '6949']);

    expect(outcome.code).toBe(3);
    expect(outcome.requestStatus).toEqual({ R1: 'failed' });
    expect(outcome.ledger).toContainEqual(expect.objectContaining({ type: 'target', id: ukVisitor, status: 'failed', error: { name: 'PERMISSION_DENIED' } }));
  });

  test('a bad static token stops the run after one call, exit 1 with a clear message', async () => {
    await start();
    const input = await writeInput('r.csv', `request_id,email\nR1,alice.marchetti@example.com\nR2,bruno.keller@example.net\nR3,chloe.roussel@example.org\n`);

    const outcome = await run([input], ['--concurrency', '1'], { IADVIZE_TOKEN: 'revoked-token' });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('iadvize-erasure: the API refused the credentials (UNAUTHENTICATED)');
    expect(outcome.stderr).not.toContain('revoked-token');
    expect(simulator.stats.graphqlRequests).toBe(1);
  });

  test('the password grant logs in once for the whole run', async () => {
    await start();
    const input = await writeInput('r.csv', `request_id,email\nR1,alice.marchetti@example.com\nR2,bruno.keller@example.net\n`);

    const outcome = await run([input], [], { IADVIZE_TOKEN: '', IADVIZE_USERNAME: USERNAME, IADVIZE_PASSWORD: PASSWORD });

    expect(outcome.code).toBe(0);
    expect(simulator.logins).toBe(1);
    expect(simulator.stats.graphqlRequests).toBeGreaterThan(10);
    expect(outcome.stderr + outcome.stdout).not.toContain(PASSWORD);
  });

  test('an input file that cannot be read is named in a one-line message, exit 1, before any call', async () => {
    await start();

    const outcome = await run([join(workDir, 'missing.csv')]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^iadvize-erasure: request file \S*missing\.csv: .+$/m);
    expect(outcome.stderr).not.toContain('internal error');
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  test('no credentials, or no project ids, is a usage error: exit 1 before any call', async () => {
    await start();
    const input = await writeInput('r.csv', `request_id,email\nR1,alice.marchetti@example.com\n`);

    const noCredentials = await run([input], [], { IADVIZE_TOKEN: '' });
    const noProjects = await run([input], [], { IADVIZE_PROJECT_IDS: '' });

    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toContain('no credentials: set IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD');
    expect(noProjects.code).toBe(1);
    expect(noProjects.stderr).toContain('--project-ids or IADVIZE_PROJECT_IDS');
    expect(simulator.stats.graphqlRequests).toBe(0);
  });
});

describe('deadlines', () => {
  test('requests are worked oldest received first, and the report flags open ones past or near their deadline', async () => {
    await start();
    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString().slice(0, 10);
    const csv = [
      'request_id,email,search,received_at',
      `NEW,chloe.roussel@example.org,,${daysAgo(2)}`,
      `OLD,bruno.keller@example.net,,${daysAgo(40)}`,
      `MID,alice.marchetti@example.com,,${daysAgo(10)}`,
      `HELD-LATE,,livraison,${daysAgo(35)}`,
      `HELD-SOON,,commande,${daysAgo(26)}`,
    ].join('\n');

    const outcome = await run([await writeInput('r.csv', `${csv}\n`)], ['--concurrency', '1']);

    const firstTargetOf = (email: string) => {
      const profile = visitorId(email, 6949);
      return simulator.mutationCalls.findIndex((call) => conversationsOf(profile).includes(call.targetId) || call.targetId === profile);
    };
    const order = [firstTargetOf('bruno.keller@example.net'), firstTargetOf('alice.marchetti@example.com'), firstTargetOf('chloe.roussel@example.org')];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const rows = parse(outcome.report, { bom: true, columns: true }) as Record<string, string>[];
    const flags = Object.fromEntries(rows.map((row) => [row.request_id, row.deadline_flag]));
    expect(flags).toEqual({ NEW: '', OLD: '', MID: '', 'HELD-LATE': 'overdue', 'HELD-SOON': 'due_soon' });
  });
});

describe('privacy of the tool itself', () => {
  test('nothing the run wrote holds an e-mail, phone, name or search string of the input', async () => {
    await start();
    const people = [
      { email: 'alice.marchetti@example.com', phone: '+33 6 39 98 01 01', search: 'Marchetti' },
      { email: 'bruno.keller@example.net', phone: '', search: '' },
      { email: 'chloe.roussel@example.org', phone: '06 39 98 01 03', search: '' },
      { email: '', phone: '+44 7700 900123', search: 'Dmitri Volkov' },
      { email: '', phone: '', search: 'Lefranc-Aubry' },
      { email: '', phone: '', search: 'livraison' },
      { email: 'broken@@example.com', phone: '', search: '' },
      { email: '', phone: '+33 1', search: '' },
      { email: 'zz-unknown@example.org', phone: '', search: '' },
    ];
    const csv = `request_id;email;phone;search\n${people.map((person, n) => `P${n};${person.email};${person.phone};${person.search}`).join('\n')}\n`;

    const outcome = await run([await writeInput('people.csv', csv)], ['--default-country', 'FR', '--max-visitors-per-request', '3'], {
      LOG_LEVEL: 'debug',
      IADVIZE_PII_KEY: 'test-key',
    });

    const written = [outcome.stdout, outcome.stderr, ...(await everyFileWritten())].join('\n').toLowerCase();
    const secrets = people
      .flatMap((person) => [person.email, person.phone, person.phone.replace(/\D/g, ''), person.search])
      .concat(['+33639980101', '+33639980103', '+447700900123', 'alice', 'bruno', 'chloe', 'dmitri', 'zoé', STATIC_TOKEN, 'test-key'])
      .filter((secret) => secret.length >= 4);
    expect(outcome.code).toBe(2);
    expect(Object.values(outcome.requestStatus).sort()).toEqual(
      ['completed', 'completed', 'completed', 'completed', 'completed', 'needs_review', 'no_match', 'rejected', 'rejected'].sort(),
    );
    for (const secret of secrets) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
  });
});

async function everyFileWritten(): Promise<string[]> {
  const names = await readdir(workDir);
  const outputs = names.filter((name) => !/\.(csv|json)$/.test(name) || name.endsWith('.report.csv'));
  return Promise.all(outputs.map((name) => readFile(join(workDir, name), 'utf8')));
}

function anonymizedIds(): string[] {
  const conversations = [...simulator.store.conversations.values()].filter((c) => c.anonymized).map((c) => `c:${c.id}`);
  const visitors = [...simulator.store.visitors.values()].filter((v) => v.anonymized).map((v) => `v:${v.id}`);
  return [...conversations, ...visitors].sort();
}
