import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLedger } from '../../src/ledger/readLedger.js';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { spawnCli, waitFor, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * The drop folder after a hard crash, end to end: built CLI watchers as child processes, killed
 * with SIGKILL or left as files a dead watcher would leave, against the in-process simulator.
 */

let simulator: Simulator;
let workDir: string;
let children: ChildProcess[];

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-recovery-'));
  children = [];
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const PEOPLE = [
  'alice.marchetti@example.com',
  'chloe.roussel@example.org',
  'hugo.petit@example.com',
  'ines.moreau@example.com',
  'jules.garnier@example.com',
  'lea.fontaine@example.com',
];
/** What must never appear in anything a watcher writes: the fixture's e-mails and the names in them. */
const PII = /@example|marchetti|roussel|petit|moreau|garnier|fontaine/i;
const sixPeople = `request_id,email\n${PEOPLE.map((email, index) => `S${index},${email}`).join('\n')}\n`;

async function slowSimulator(): Promise<void> {
  await simulator.close();
  simulator = await startSimulator({ dataset: await loadDataset(), faults: { latencyMs: 120 } });
}

function watch(args: string[], timeoutMs = 40_000): { child: ChildProcess; done: Promise<CliResult> } {
  const started = spawnCli(
    ['watch', workDir, '--endpoint', simulator.graphqlUrl, ...args],
    { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' },
    timeoutMs,
  );
  children.push(started.child);
  return started;
}

async function drop(name: string, content: string): Promise<void> {
  await mkdir(join(workDir, 'inbox'), { recursive: true });
  await writeFile(join(workDir, 'inbox', name), content, 'utf8');
}

async function list(folder: string): Promise<string[]> {
  return (await readdir(join(workDir, folder)).catch(() => [] as string[])).sort();
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

/** Target events with this status in the ledger at `path`, read as it is now (sync: for waitFor). */
function ledgerCount(path: string, status: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"target"') && line.includes(`"status":"${status}"`)).length;
}

/** The one file claimed in processing/ (not its ledger, report or locks). */
function claimedInput(): string | undefined {
  const names = readdirSync(join(workDir, 'processing'), { withFileTypes: false }) as string[];
  return names.find((name) => /^\d{8}T\d{9}Z-\d+-/.test(name) && !/\.(ledger\.jsonl|report\.csv)$|\.lock/.test(name));
}

/** A pid that no process has any more: a child that ran and was reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

/** A lock file as runLock.ts writes it, naming `pid` on this host. */
async function writeLock(path: string, pid: number): Promise<void> {
  await writeFile(path, `${JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString(), runId: 'crafted' })}\n`, 'utf8');
}

/** A watcher started on one slow six-person file, once its ledger holds `anonymized` targets. */
async function watcherMidFile(anonymized: number): Promise<{ first: ReturnType<typeof watch>; claimed: string }> {
  await slowSimulator();
  await drop('slow.csv', sixPeople);
  const first = watch(['--once', '--concurrency', '1']);
  let claimed: string | undefined;
  await waitFor(() => {
    claimed ??= existsSync(join(workDir, 'processing')) ? claimedInput() : undefined;
    return claimed !== undefined && ledgerCount(join(workDir, 'processing', `${claimed}.ledger.jsonl`), 'anonymized') >= anonymized;
  }, 30_000);
  return { first, claimed: claimed! };
}

describe('a watcher killed hard mid-file', () => {
  test('the next watcher takes the file over, resumes its ledger (nothing finished is sent again), and puts it in done/; a re-drop is then a duplicate', async () => {
    const { first, claimed } = await watcherMidFile(2);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    // What the crash left: the file and its partial ledger in processing/, its claim lock and its content's reservation.
    const ledgerAtKill = await readLedger(join(workDir, 'processing', `${claimed}.ledger.jsonl`));
    const doneAtKill = new Set(
      [...ledgerAtKill.targets.values()].filter((event) => event.status === 'anonymized' || event.status === 'already_anonymized').map((event) => event.id),
    );
    const completedAtKill = [...ledgerAtKill.requests.values()].filter((event) => event.status === 'completed').length;
    expect(doneAtKill.size).toBeGreaterThanOrEqual(2);
    expect(completedAtKill).toBeLessThan(PEOPLE.length);
    expect(await list('processing')).toContain(claimed);
    expect(await list('state/claims')).toEqual([`${claimed}.lock`]);
    expect(await list('state/sha256')).toHaveLength(1);
    const sentAtKill = simulator.mutationCalls.length;

    const second = await watch(['--once']).done;

    expect(second.code).toBe(0);
    expect(second.stderr).toContain('taking over a file whose watcher stopped mid-way');
    expect(await list('processing')).toEqual([]);
    expect(await list('state/claims')).toEqual([]);
    expect(await list('inbox')).toEqual([]);
    const done = await list('done');
    for (const suffix of ['', '.ledger.jsonl', '.report.csv', '.summary.json']) expect(done).toContain(`${claimed}${suffix}`);
    const summary = await readJson(join(workDir, 'done', `${claimed}.summary.json`));
    // Resumed, not restarted: a restart would re-resolve the people already erased and find nothing (no_match).
    expect(summary).toMatchObject({
      file: 'slow.csv',
      claimedAs: claimed,
      outcome: 'done',
      exitCode: 0,
      recovered: true,
      requests: { completed: PEOPLE.length },
    });
    const resent = simulator.mutationCalls.slice(sentAtKill).filter((call) => doneAtKill.has(call.targetId));
    expect(resent).toEqual([]);
    const anonymizedPerTarget = new Map<string, number>();
    for (const call of simulator.mutationCalls)
      if (call.result === 'anonymized') anonymizedPerTarget.set(call.targetId, (anonymizedPerTarget.get(call.targetId) ?? 0) + 1);
    expect(new Set(anonymizedPerTarget.values())).toEqual(new Set([1]));
    // One ledger for the file, with both runs in it.
    const ledgerText = await readFile(join(workDir, 'done', `${claimed}.ledger.jsonl`), 'utf8');
    expect(ledgerText.split('\n').filter((line) => line.includes('"type":"run"'))).toHaveLength(2);
    const index = (await readFile(join(workDir, 'state', 'processed.jsonl'), 'utf8')).trim().split('\n');
    expect(index.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ file: 'slow.csv', claimedAs: claimed, outcome: 'done' }),
    ]);

    const sentBeforeRedrop = simulator.mutationCalls.length;
    await drop('again.csv', sixPeople);
    const third = await watch(['--once']).done;
    expect(third.code).toBe(0);
    expect(simulator.mutationCalls.length).toBe(sentBeforeRedrop);
    const duplicate = (await list('done')).find((name) => name.endsWith('-again.csv.summary.json'));
    expect(await readJson(join(workDir, 'done', duplicate!))).toMatchObject({ outcome: 'duplicate', duplicateOf: 'slow.csv' });

    for (const text of [
      killed.stderr,
      second.stderr,
      third.stderr,
      ledgerText,
      JSON.stringify(summary),
      await readFile(join(workDir, 'done', `${claimed}.report.csv`), 'utf8'),
    ])
      expect(text).not.toMatch(PII);
  }, 60_000);
});

describe('a live claim is never taken', () => {
  test("a second watcher's recovery pass leaves a file another watcher is processing alone", async () => {
    const { first, claimed } = await watcherMidFile(1);

    const second = await watch(['--once']).done;

    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('taking over');
    expect(first.child.exitCode).toBeNull();
    expect(await list('processing')).toContain(claimed);
    const result = await first.done;
    expect(result.code).toBe(0);
    const summary = await readJson(join(workDir, 'done', `${claimed}.summary.json`));
    expect(summary).toMatchObject({ outcome: 'done', requests: { completed: PEOPLE.length } });
    expect(summary.recovered).toBeUndefined();
    const targets = simulator.mutationCalls.map((call) => call.targetId);
    expect(new Set(targets).size).toBe(targets.length);
  }, 60_000);

  test('a claim whose ledger is not locked yet, but whose claim lock names a live process, is left alone', async () => {
    // As a watcher leaves it between claiming a file and starting its run: only the claim lock says it lives.
    const claimed = '20260301T120000000Z-99999-held.csv';
    await mkdir(join(workDir, 'processing'), { recursive: true });
    await mkdir(join(workDir, 'state', 'claims'), { recursive: true });
    await writeFile(join(workDir, 'processing', claimed), sixPeople, 'utf8');
    await writeLock(join(workDir, 'state', 'claims', `${claimed}.lock`), process.pid);

    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(await list('processing')).toEqual([claimed]);
    expect(await list('state/claims')).toEqual([`${claimed}.lock`]);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });
});

describe('a watcher killed outside a run', () => {
  test('killed while putting a finished file away: the next watcher finishes putting it away, without running it again', async () => {
    await drop('a.csv', `request_id,email\nA1,${PEOPLE[0]}\n`);
    expect((await watch(['--once']).done).code).toBe(0);
    const claimed = (await list('done')).find((name) => name.endsWith('-a.csv'))!;
    // Undo the steps after the summary, as a crash right after writing it would have left them.
    for (const suffix of ['', '.ledger.jsonl', '.report.csv'])
      await rename(join(workDir, 'done', `${claimed}${suffix}`), join(workDir, 'processing', `${claimed}${suffix}`));
    await rm(join(workDir, 'state', 'processed.jsonl'));
    await writeLock(join(workDir, 'state', 'claims', `${claimed}.lock`), await deadPid());
    const requestsBefore = simulator.stats.graphqlRequests;

    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('putting away a file whose watcher stopped after it ended');
    expect(simulator.stats.graphqlRequests).toBe(requestsBefore);
    expect(await list('processing')).toEqual([]);
    expect(await list('state/claims')).toEqual([]);
    expect(await list('done')).toEqual([claimed, `${claimed}.ledger.jsonl`, `${claimed}.report.csv`, `${claimed}.summary.json`]);
    const index = (await readFile(join(workDir, 'state', 'processed.jsonl'), 'utf8')).trim().split('\n');
    expect(index.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ file: 'a.csv', claimedAs: claimed, outcome: 'done' }),
    ]);
  });

  test('killed between taking a claim lock and renaming the file: the lock is cleared, the file in inbox/ processed', async () => {
    await mkdir(join(workDir, 'state', 'claims'), { recursive: true });
    await writeLock(join(workDir, 'state', 'claims', '20260301T120000000Z-99999-a.csv.lock'), await deadPid());
    await drop('a.csv', `request_id,email\nA1,${PEOPLE[0]}\n`);

    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(await list('state/claims')).toEqual([]);
    expect((await list('done')).filter((name) => name.endsWith('.summary.json'))).toHaveLength(1);
  });
});

describe('filesystems', () => {
  const OTHER_FS = '/dev/shm';
  const otherFilesystem = existsSync(OTHER_FS) && statSync(OTHER_FS).dev !== statSync(tmpdir()).dev;
  const acrossFilesystems = otherFilesystem ? test : test.skip;
  let other: string | undefined;
  afterEach(async () => {
    if (other !== undefined) await rm(other, { recursive: true, force: true });
    other = undefined;
  });

  acrossFilesystems('inbox/ on another filesystem than processing/: refused at start, exit 1, naming both', async () => {
    other = await mkdtemp(join(OTHER_FS, 'iadvize-erasure-inbox-'));
    await symlink(other, join(workDir, 'inbox'));
    await drop('a.csv', `request_id,email\nA1,${PEOPLE[0]}\n`);

    const result = await watch(['--once']).done;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`inbox/ (${join(workDir, 'inbox')}) and processing/ (${join(workDir, 'processing')}) are on different filesystems`);
    expect(await list('inbox')).toEqual(['a.csv']);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  acrossFilesystems('done/ on another filesystem: files are copied there, and the watcher goes on', async () => {
    other = await mkdtemp(join(OTHER_FS, 'iadvize-erasure-done-'));
    await symlink(other, join(workDir, 'done'));
    await drop('a.csv', `request_id,email\nA1,${PEOPLE[0]}\n`);
    await drop('b.csv', `request_id,email\nB1,${PEOPLE[1]}\n`);

    const result = await watch(['--once']).done;

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('files are copied there');
    expect(await list('processing')).toEqual([]);
    const done = await readdir(other);
    expect(done.filter((name) => name.endsWith('.summary.json'))).toHaveLength(2);
    expect(done.filter((name) => name.startsWith('.'))).toEqual([]);
    expect(done).toHaveLength(8);
  });
});
