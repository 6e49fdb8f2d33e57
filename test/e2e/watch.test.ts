import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { spawnCli, waitFor, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * `iadvize-erasure watch <dir>` end to end: the built CLI as child processes against the
 * simulator serving the fixture account, on a drop folder in a temporary directory.
 */

let simulator: Simulator;
let workDir: string;
let children: ChildProcess[];
let server: Server | undefined;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-watch-'));
  children = [];
  server = undefined;
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const inbox = () => join(workDir, 'inbox');
const csvFor = (requestId: string, email: string) => `request_id,email\n${requestId},${email}\n`;

function watch(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): { child: ChildProcess; done: Promise<CliResult> } {
  const started = spawnCli(
    ['watch', workDir, '--endpoint', simulator.graphqlUrl, ...args],
    { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', ...env },
    timeoutMs,
  );
  children.push(started.child);
  return started;
}

async function drop(name: string, content: string): Promise<void> {
  await mkdir(inbox(), { recursive: true });
  await writeFile(join(inbox(), name), content, 'utf8');
}

async function list(folder: string): Promise<string[]> {
  return (await readdir(join(workDir, folder)).catch(() => [] as string[])).sort();
}

async function summaries(folder: string): Promise<Record<string, unknown>[]> {
  const names = (await list(folder)).filter((name) => name.endsWith('.summary.json'));
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(workDir, folder, name), 'utf8')) as Record<string, unknown>));
}

/** The claimed names in done/ carry a prefix; this finds the one a dropped file became. */
const claimedEndingIn = (names: string[], dropped: string) => names.filter((name) => name.endsWith(`-${dropped}`));

describe('watch --once', () => {
  test('processes two dropped files: each moves to done/ with its ledger, report and summary; exit 0', async () => {
    await drop('a.csv', csvFor('A1', 'alice.marchetti@example.com'));
    await drop('b.csv', csvFor('B1', 'chloe.roussel@example.org'));

    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(await list('inbox')).toEqual([]);
    expect(await list('processing')).toEqual([]);
    expect(await list('failed')).toEqual([]);
    const done = await list('done');
    for (const dropped of ['a.csv', 'b.csv']) {
      const [claimed] = claimedEndingIn(done, dropped);
      expect(claimed).toBeDefined();
      for (const suffix of ['', '.ledger.jsonl', '.report.csv', '.summary.json']) expect(done).toContain(`${claimed}${suffix}`);
    }
    const all = await summaries('done');
    expect(all.map((summary) => summary.file).sort()).toEqual(['a.csv', 'b.csv']);
    for (const summary of all) {
      expect(summary).toMatchObject({ outcome: 'done', exitCode: 0, requests: { completed: 1 } });
      expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof summary.startedAt).toBe('string');
      expect(typeof summary.finishedAt).toBe('string');
      expect((summary.targets as Record<string, number>).anonymized).toBeGreaterThan(0);
      expect(JSON.stringify(summary)).not.toMatch(/@|marchetti|roussel/i);
    }
    expect(result.stderr).not.toMatch(/@example|marchetti|roussel/i);
    const index = (await readFile(join(workDir, 'state', 'processed.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(index.map((entry) => [entry.file, entry.outcome]).sort()).toEqual([
      ['a.csv', 'done'],
      ['b.csv', 'done'],
    ]);
  });

  test("a file whose request holds a namesake: the summary counts the held targets, exit 2, the person's part erased", async () => {
    await drop('requests-0412.csv', `request_id,email,search\nCP-1,camille.perrin@example.fr,Camille Perrin\n`);

    const result = await watch(['--once']).done;

    expect(result.code).toBe(2);
    const [summary] = await summaries('done');
    expect(summary).toMatchObject({ exitCode: 2, requests: { needs_review: 1 }, targets: { anonymized: 5 }, held: { conversations: 3, visitors: 2 } });
    expect(JSON.stringify(summary)).not.toMatch(/@|camille|perrin/i);
  });

  test('exit code is the worst outcome: a rejected request gives 2, and its file still goes to done/', async () => {
    await drop('good.csv', csvFor('G1', 'hugo.petit@example.com'));
    await drop('bad.csv', csvFor('X1', 'not-an-email'));

    const result = await watch(['--once']).done;

    expect(result.code).toBe(2);
    const byFile = Object.fromEntries((await summaries('done')).map((summary) => [summary.file, summary]));
    expect(byFile['good.csv']).toMatchObject({ exitCode: 0, requests: { completed: 1 } });
    expect(byFile['bad.csv']).toMatchObject({ exitCode: 2, requests: { rejected: 1 } });
  });

  test('two watchers started together on one folder never process a file twice', async () => {
    const people = [
      'alice.marchetti@example.com',
      'chloe.roussel@example.org',
      'hugo.petit@example.com',
      'ines.moreau@example.com',
      'jules.garnier@example.com',
      'lea.fontaine@example.com',
    ];
    for (const [index, email] of people.entries()) await drop(`f${index}.csv`, csvFor(`R${index}`, email));
    // The same content under two names, which the two watchers may claim at the same moment.
    await drop('copy.csv', csvFor('R0', people[0]!));

    const [first, second] = await Promise.all([watch(['--once']).done, watch(['--once']).done]);

    expect([first.code, second.code]).toEqual([0, 0]);
    const targets = simulator.mutationCalls.map((call) => call.targetId);
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets).size).toBe(targets.length);
    const all = [...(await summaries('done')), ...(await summaries('failed'))];
    expect(all.map((summary) => summary.file).sort()).toEqual(['copy.csv', ...people.map((_, index) => `f${index}.csv`)]);
    const outcomes = Object.fromEntries(all.map((summary) => [summary.file, summary.outcome]));
    expect([outcomes['f0.csv'], outcomes['copy.csv']].sort()).toEqual(['done', 'duplicate']);
    expect(all.filter((summary) => summary.outcome === 'done')).toHaveLength(people.length);
    expect(await list('inbox')).toEqual([]);
  });

  test('a file dropped again under another name is a duplicate: no mutation, done/ with duplicateOf', async () => {
    const content = csvFor('D1', 'alice.marchetti@example.com');
    await drop('first.csv', content);
    expect((await watch(['--once']).done).code).toBe(0);
    const mutationsAfterFirst = simulator.mutationCalls.length;
    expect(mutationsAfterFirst).toBeGreaterThan(0);

    await drop('again.csv', content);
    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(simulator.mutationCalls.length).toBe(mutationsAfterFirst);
    const again = (await summaries('done')).find((summary) => summary.file === 'again.csv');
    expect(again).toMatchObject({ outcome: 'duplicate', duplicateOf: 'first.csv', exitCode: 0 });
    const done = await list('done');
    const [claimed] = claimedEndingIn(done, 'again.csv');
    expect(done).not.toContain(`${claimed}.ledger.jsonl`);
  });

  test('--delete-inputs leaves no input in done/, only the ledger, report and summary', async () => {
    await drop('a.csv', csvFor('A1', 'alice.marchetti@example.com'));

    const result = await watch(['--once', '--delete-inputs']).done;

    expect(result.code).toBe(0);
    const done = await list('done');
    expect(done).toHaveLength(3);
    expect(done.every((name) => /\.(ledger\.jsonl|report\.csv|summary\.json)$/.test(name))).toBe(true);
    expect(await list('inbox')).toEqual([]);
    expect(await list('processing')).toEqual([]);
  });

  test('--webhook POSTs the summary as JSON, with the counts and no e-mail', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await drop('a.csv', csvFor('A1', 'alice.marchetti@example.com'));

    const result = await watch(['--once', '--webhook', `http://127.0.0.1:${port}/erasures`]).done;

    expect(result.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    const summary = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(summary).toMatchObject({ file: 'a.csv', outcome: 'done', exitCode: 0, requests: { completed: 1 } });
    expect((summary.targets as Record<string, number>).anonymized).toBeGreaterThan(0);
    expect(received[0]!.body).not.toMatch(/@|marchetti/i);
  });

  test('a webhook that cannot be reached is logged and does not fail the file', async () => {
    await drop('a.csv', csvFor('A1', 'alice.marchetti@example.com'));

    const result = await watch(['--once', '--webhook', 'http://127.0.0.1:9/unreachable']).done;

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('webhook could not be reached');
    expect((await summaries('done')).map((summary) => summary.outcome)).toEqual(['done']);
  });
});

describe('watch (polling)', () => {
  test('--poll and --quiet outside 0.1 to 3600 seconds are usage errors, before anything is read', async () => {
    await drop('waiting.csv', csvFor('W1', 'alice.marchetti@example.com'));
    for (const flags of [
      ['--poll', '0'],
      ['--quiet', '0.05'],
      ['--quiet', 'soon'],
    ]) {
      const result = await watch(['--once', ...flags]).done;
      expect({ flags, code: result.code, stderr: result.stderr }).toEqual({
        flags,
        code: 1,
        stderr: expect.stringContaining(`${flags[0]} must be a number of seconds from 0.1 to 3600`),
      });
    }
    expect(await list('inbox')).toEqual(['waiting.csv']);
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('a .partial file and a file still growing are not taken early; SIGTERM exits 143', async () => {
    await mkdir(inbox(), { recursive: true });
    // a quiet time well above the pause below, so a slow machine cannot stretch the pause past it
    const { child, done } = watch(['--poll', '0.3', '--quiet', '3'], { LOG_LEVEL: 'debug' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await waitFor(() => stderr.includes('watching inbox/'), 15_000);

    await drop('later.csv.partial', csvFor('P1', 'hugo.petit@example.com'));
    await drop('growing.csv', csvFor('G1', 'alice.marchetti@example.com'));
    await waitFor(() => /"file":"growing.csv"[^\n]*not yet stable/.test(stderr), 10_000);
    // Longer than a poll, shorter than the quiet time (--quiet 3) a file needs before it is taken.
    await sleep(500);
    expect(await list('inbox')).toContain('growing.csv');
    await appendFile(join(inbox(), 'growing.csv'), 'G2,chloe.roussel@example.org\n', 'utf8');

    await waitFor(() => existsSync(join(workDir, 'done')) && stderr.includes('"file":"growing.csv","outcome":"done"'), 15_000);
    const growing = (await summaries('done')).find((summary) => summary.file === 'growing.csv');
    expect(growing).toMatchObject({ requests: { completed: 2 } });
    expect(await list('inbox')).toEqual(['later.csv.partial']);
    expect(simulator.mutationCalls.length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(143);
    expect(await list('inbox')).toEqual(['later.csv.partial']);
    expect(stderr).not.toMatch(/@example|marchetti|roussel|petit/i);
  });

  test('SIGTERM during a file: the run stops gracefully (exit 143), the file stays claimed, and the next watcher resumes it', async () => {
    await simulator.close();
    simulator = await startSimulator({ dataset: await loadDataset(), faults: { latencyMs: 150 } });
    const people = [
      'alice.marchetti@example.com',
      'chloe.roussel@example.org',
      'hugo.petit@example.com',
      'ines.moreau@example.com',
      'jules.garnier@example.com',
      'lea.fontaine@example.com',
    ];
    await drop('slow.csv', `request_id,email\n${people.map((email, index) => `S${index},${email}`).join('\n')}\n`);
    const { child, done } = watch(['--poll', '0.3', '--concurrency', '1']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await waitFor(() => stderr.includes('file claimed'), 15_000);
    await waitFor(() => simulator.mutationCalls.length > 0, 15_000);

    child.kill('SIGTERM');
    const result = await done;

    expect(result.code).toBe(143);
    expect(await list('inbox')).toEqual([]);
    expect(await list('done')).toEqual([]);
    const claimed = claimedEndingIn(await list('processing'), 'slow.csv');
    expect(claimed).toHaveLength(1);
    // Not recorded as processed: the next watcher takes it up again.
    expect(existsSync(join(workDir, 'state', 'processed.jsonl'))).toBe(false);
    const sentBefore = simulator.mutationCalls.map((call) => call.targetId);

    const resumed = await watch(['--once']).done;

    expect(resumed.code).toBe(0);
    expect(await list('processing')).toEqual([]);
    const [summary] = await summaries('done');
    expect(summary).toMatchObject({ file: 'slow.csv', claimedAs: claimed[0], outcome: 'done', recovered: true, requests: { completed: 6 } });
    // Resumed from its ledger: what the first watcher had sent is not sent again.
    const sentAfter = simulator.mutationCalls.slice(sentBefore.length).map((call) => call.targetId);
    expect(sentAfter.filter((id) => sentBefore.includes(id))).toEqual([]);
  });
});
