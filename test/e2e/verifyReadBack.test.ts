import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, spawnCli, waitFor, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * verify reads back what the ledger holds as erased, end to end with the built CLI: after a run
 * every profile and conversation reads back empty; one the API said it erased and did not is
 * `remaining` after the re-check; one whose erasure ends during the re-check's wait is not.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;
let ledgerPath: string;
let reportPath: string;
let readBackPath: string;

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-readback-'));
  ledgerPath = join(workDir, 'ledger.jsonl');
  reportPath = join(workDir, 'verify.csv');
  readBackPath = join(workDir, 'verify.readback.csv');
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const ALICE = 'alice.marchetti@example.com';
const CHLOE = 'chloe.roussel@example.org';
const CHLOE_PHONE = '06 39 98 01 03';
const DMITRI_PHONE = '+44 7700 900123';
const REQUESTS = `request_id,email,phone\nR-1,${ALICE},\nR-2,${CHLOE},${CHLOE_PHONE}\nR-3,,${DMITRI_PHONE}\n`;
const CREDENTIALS = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };

/** Everything personal the simulator holds for the people erased, and the input's own spellings (request ids name no one). */
function personalData(): string[] {
  const people = [ALICE, CHLOE, '+33639980103', '+447700900123'];
  const visitors = dataset.visitors.filter((visitor) => people.includes(visitor.email ?? '') || people.includes(visitor.phoneNumber ?? ''));
  const profileFields = visitors.flatMap((visitor) => [visitor.email, visitor.phoneNumber, visitor.firstName, visitor.lastName]);
  const ids = new Set(visitors.map((visitor) => visitor.id));
  // message lines long enough not to occur by chance in a log (a UUID, a field name)
  const messages = dataset.conversations
    .filter((conversation) => ids.has(conversation.visitorId ?? ''))
    .flatMap((conversation) => conversation.messages.map((message) => message.text));
  return [...people, CHLOE_PHONE, '0639980103', DMITRI_PHONE, '7700900123', STATIC_TOKEN, ...profileFields, ...messages].filter(
    (text): text is string => typeof text === 'string' && text.length >= 6,
  );
}

function expectNoPersonalData(...outputs: string[]): void {
  const written = outputs.join('\n').toLowerCase();
  for (const secret of personalData()) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
}

async function run(): Promise<CliResult> {
  const input = join(workDir, 'requests.csv');
  await writeFile(input, REQUESTS, 'utf8');
  return runCli(
    ['run', input, '--ledger', ledgerPath, '--report', join(workDir, 'run.report.csv'), '--endpoint', simulator.graphqlUrl, '--default-country', 'FR'],
    CREDENTIALS,
  );
}

function verifyArgs(extra: string[]): string[] {
  return ['verify', '--ledger', ledgerPath, '--report', reportPath, '--endpoint', simulator.graphqlUrl, ...extra];
}

interface Reports {
  verifyRows: Record<string, Record<string, string>>;
  readBackRows: Record<string, Record<string, string>>;
  texts: string[];
}

async function reports(): Promise<Reports> {
  const texts = [await readFile(reportPath, 'utf8'), await readFile(readBackPath, 'utf8'), await readFile(ledgerPath, 'utf8')];
  return { verifyRows: rowsOf(texts[0]!), readBackRows: rowsOf(texts[1]!), texts };
}

/** request_id → its row, by column name (no cell of these reports holds a comma). */
function rowsOf(csv: string): Record<string, Record<string, string>> {
  const [header, ...lines] = csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '');
  const columns = header!.split(',');
  return Object.fromEntries(
    lines.map((line) => {
      const cells = line.split(',');
      return [cells[0]!, Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']))];
    }),
  );
}

/** What the ledger says each request erased: the last event of each target, by kind. */
async function erasedByRequest(): Promise<Map<string, { conversation: string[]; visitor: string[] }>> {
  const events = (await readFile(ledgerPath, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; kind: 'conversation' | 'visitor'; id: string; status: string; requestIds: string[] });
  const last = new Map(events.filter((event) => event.type === 'target').map((event) => [`${event.kind}:${event.id}`, event]));
  const byRequest = new Map<string, { conversation: string[]; visitor: string[] }>();
  for (const target of last.values()) {
    if (target.status !== 'anonymized' && target.status !== 'already_anonymized') continue;
    for (const requestId of target.requestIds) {
      const erased = byRequest.get(requestId) ?? { conversation: [], visitor: [] };
      erased[target.kind].push(target.id);
      byRequest.set(requestId, erased);
    }
  }
  return byRequest;
}

const RECHECK_LOG = /"msg":"not erased yet: re-checking after the delay"/;

describe('verify reads back what was erased', () => {
  test('after a run, every profile and conversation erased reads back empty, per request, and nothing personal is written', async () => {
    expect((await run()).code).toBe(0);
    const erased = await erasedByRequest();

    const verified = await runCli(verifyArgs([]), { IADVIZE_TOKEN: STATIC_TOKEN, LOG_LEVEL: 'debug' });

    expect(verified.code).toBe(0);
    const { verifyRows, readBackRows, texts } = await reports();
    expect(Object.keys(readBackRows).sort()).toEqual(['R-1', 'R-2', 'R-3']);
    let conversations = 0;
    let profiles = 0;
    for (const [requestId, row] of Object.entries(readBackRows)) {
      const targets = erased.get(requestId)!;
      expect(verifyRows[requestId]?.result).toBe('clean');
      expect(row).toEqual({
        request_id: requestId,
        profiles_empty: String(targets.visitor.length - Number(row.not_read)),
        conversations_empty: String(targets.conversation.length),
        not_read: row.not_read,
        profiles_remaining: '0',
        conversations_remaining: '0',
        remaining_ids: '',
      });
      conversations += targets.conversation.length;
      profiles += Number(row.profiles_empty);
    }
    // each person had conversations and a profile read back: a read-back reading nothing would show 0
    expect(conversations).toBeGreaterThan(0);
    expect(profiles).toBeGreaterThan(0);
    expect(verified.stdout).toMatch(new RegExp(`^ {2}Read back +${profiles} profiles and ${conversations} conversations empty, 0 remaining,`, 'm'));
    expect(verified.stdout).toContain(`\n  Read-back    ${readBackPath}\n`);
    expect(verified.stderr).not.toMatch(RECHECK_LOG);
    // private as the verify report: only the user may read it
    expect((await stat(readBackPath)).mode & 0o777).toBe(0o600);
    expectNoPersonalData(verified.stdout, verified.stderr, ...texts);
  });

  test('--recheck-after takes seconds from 0 to 3600, and --readback-report is not the verify report; anything else is a usage error before any call', async () => {
    expect((await run()).code).toBe(0);
    const callsBefore = simulator.stats.graphqlRequests;
    for (const value of ['-1', 'soon', '3601']) {
      const refused = await runCli(verifyArgs(['--recheck-after', value]), { IADVIZE_TOKEN: STATIC_TOKEN });
      expect({ value, code: refused.code }).toEqual({ value, code: 1 });
      expect(refused.stderr).toContain(`--recheck-after must be a number of seconds from 0 to 3600, got "${value}"`);
    }
    const same = await runCli(verifyArgs(['--readback-report', reportPath]), { IADVIZE_TOKEN: STATIC_TOKEN });
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('--readback-report must not be the verify report itself');
    expect(simulator.stats.graphqlRequests).toBe(callsBefore);
  });

  test('conversations the API said it anonymized, and did not, are remaining after the re-check, named by their UUIDs only', async () => {
    // every conversation mutation lies: which one a single scripted fault meets depends on the run's
    // order, and one of these people's conversations is anonymized already (no lie possible there)
    const lies = dataset.conversations.length;
    simulator.faults.script(
      ...Array.from({ length: lies }, () => ({ kind: 'acknowledged_not_applied' as const, operationName: 'ClosedConversationAnonymize' })),
    );
    expect((await run()).code).toBe(0);
    const lied = new Set(simulator.mutationCalls.filter((call) => call.result === 'not_applied').map((call) => call.targetId));
    expect(lied.size).toBeGreaterThan(0);
    const erased = await erasedByRequest();

    const verified = await runCli(verifyArgs(['--recheck-after', '0.2']), { IADVIZE_TOKEN: STATIC_TOKEN, LOG_LEVEL: 'debug' });

    expect(verified.code).toBe(3);
    const { verifyRows, readBackRows, texts } = await reports();
    expect(Object.keys(readBackRows).sort()).toEqual([...erased.keys()].sort());
    let remaining = 0;
    for (const [requestId, row] of Object.entries(readBackRows)) {
      const liedTo = erased
        .get(requestId)!
        .conversation.filter((id) => lied.has(id))
        .sort();
      expect(row).toMatchObject({
        request_id: requestId,
        conversations_remaining: String(liedTo.length),
        conversations_empty: String(erased.get(requestId)!.conversation.length - liedTo.length),
        profiles_remaining: '0',
        remaining_ids: liedTo.map((id) => `conversation:${id}`).join(' '),
      });
      remaining += liedTo.length;
      if (liedTo.length > 0) {
        expect(verifyRows[requestId]?.result).toBe('remaining');
        expect(verifyRows[requestId]?.found_ids?.split(' ')).toEqual(expect.arrayContaining(liedTo.map((id) => `conversation:${id}`)));
      }
    }
    expect(verified.stderr).toMatch(RECHECK_LOG);
    expect(remaining).toBeGreaterThan(0);
    expect(verified.stdout).toContain(`, ${remaining} remaining,`);
    expectNoPersonalData(verified.stdout, verified.stderr, ...texts);
  });

  test('a visitor whose anonymization ends during the re-check wait is not remaining; left unapplied, it is', async () => {
    simulator.faults.script({ kind: 'applied_later', operationName: 'VisitorAnonymize' });
    expect((await run()).code).toBe(0);
    const deferred = simulator.mutationCalls.find((call) => call.result === 'deferred')!.targetId;
    expect(simulator.store.visitors.get(deferred)?.anonymized).toBe(false);

    // first left unapplied: the re-check still reads the profile, so the visitor is remaining
    const unapplied = await runCli(verifyArgs(['--recheck-after', '0.2']), { IADVIZE_TOKEN: STATIC_TOKEN });
    expect(unapplied.code).toBe(3);
    expect(Object.values((await reports()).readBackRows).map((row) => row.remaining_ids)).toContain(`visitor:${deferred}`);

    // then applied while verify waits to re-check: what it read first no longer counts
    const { child, done } = spawnCli(verifyArgs(['--recheck-after', '3']), { IADVIZE_TOKEN: STATIC_TOKEN });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await waitFor(() => RECHECK_LOG.test(stderr));
    expect(simulator.store.applyDeferred()).toBe(1);
    const settled = await done;

    expect(settled.code).toBe(0);
    const { verifyRows, readBackRows, texts } = await reports();
    expect(Object.values(verifyRows).map((row) => row.result)).toEqual(['clean', 'clean', 'clean']);
    expect(Object.values(readBackRows).map((row) => row.remaining_ids)).toEqual(['', '', '']);
    expect(Object.values(readBackRows).reduce((sum, row) => sum + Number(row.profiles_empty), 0)).toBeGreaterThan(0);
    expectNoPersonalData(unapplied.stdout, unapplied.stderr, settled.stdout, settled.stderr, ...texts);
  });
});
