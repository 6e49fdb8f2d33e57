import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { spawnCli, waitFor, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * The drop folder never puts away a file it did not process whole, writes what holds personal
 * data for its owner only, and says what it leaves in inbox/ or finds empty.
 */

let simulator: Simulator;
let workDir: string;
let children: ChildProcess[];

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-watch-integrity-'));
  children = [];
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await simulator?.close();
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
const PII = /@example|marchetti|roussel|petit|moreau|garnier|fontaine/i;
const inbox = () => join(workDir, 'inbox');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

function watch(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; stderr: () => string } {
  const started = spawnCli(
    ['watch', workDir, '--endpoint', simulator.graphqlUrl, ...args],
    { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', ...env },
    60_000,
  );
  children.push(started.child);
  let stderr = '';
  started.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return { ...started, stderr: () => stderr };
}

async function list(folder: string): Promise<string[]> {
  return (await readdir(join(workDir, folder)).catch(() => [] as string[])).sort();
}

async function summaries(folder: string): Promise<Record<string, unknown>[]> {
  const names = (await list(folder)).filter((name) => name.endsWith('.summary.json'));
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(workDir, folder, name), 'utf8')) as Record<string, unknown>));
}

const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

describe('a file still being written when it is claimed', () => {
  // The first half holds 4 whole requests and a torn one: its e-mail cut before the @ (rejected by the
  // first run), within the domain (a valid address of nobody: no_match, which a resume would skip), or
  // its request_id cut (a request "S" the whole file does not have).
  test.each([
    ['before its @', 'jules.gar'],
    ['within its domain', 'jules.garnier@example.co'],
    ['within its request_id', ''],
  ])(
    'a writer pausing longer than --quiet, then finishing during the run (a row cut %s): the file runs again on its whole content before it is put away',
    async (_where, kept) => {
      simulator = await startSimulator({ dataset: await loadDataset(), faults: { latencyMs: 150 } });
      await mkdir(inbox(), { recursive: true });
      const rows = PEOPLE.map((email, index) => `S${index},${email}\n`);
      const whole = `request_id,email\n${rows.join('')}`;
      const cut = kept === '' ? whole.indexOf('S4') + 1 : whole.indexOf('jules.garnier') + kept.length;
      const writer = await open(join(inbox(), 'paused.csv'), 'w');
      await writer.write(whole.slice(0, cut));

      const { child, done, stderr } = watch(['--poll', '0.3', '--quiet', '0.5', '--concurrency', '1']);
      try {
        // The pause outlasts --quiet: the watcher claims the half and starts sending.
        await waitFor(() => stderr().includes('file claimed'), 15_000);
        await waitFor(() => simulator.mutationCalls.length > 0, 15_000);
      } finally {
        await writer.write(whole.slice(cut));
        await writer.close();
      }

      await waitFor(() => stderr().includes('"file":"paused.csv","outcome"'), 30_000);
      child.kill('SIGTERM');
      const result = await done;

      expect(result.code).toBe(143);
      const [summary] = await summaries('done');
      expect(summary).toMatchObject({ file: 'paused.csv', outcome: 'done', exitCode: 0, sha256: sha256(whole) });
      expect(summary?.requests).toEqual({ completed: PEOPLE.length });
      const claimedAs = summary?.claimedAs as string;
      expect(sha256(await readFile(join(workDir, 'done', claimedAs)))).toBe(sha256(whole));
      // The second run is recorded in the same ledger, with the whole content's SHA-256.
      const ledger = (await readFile(join(workDir, 'done', `${claimedAs}.ledger.jsonl`), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const runs = ledger.filter((event) => event.type === 'run') as { inputs: { sha256: string }[] }[];
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.at(-1)?.inputs[0]?.sha256).toBe(sha256(whole));
      expect(stderr()).toMatch(/"file":"paused.csv"[^\n]*changed while it was processed/);
      expect(stderr()).not.toMatch(PII);
      expect(JSON.stringify(summary)).not.toMatch(PII);
    },
  );
});

describe('modes', () => {
  test('done/ inputs, ledgers, reports and summaries are 600 and the folders the watcher creates 700; --umask 027 gives 640 and 750', async () => {
    simulator = await startSimulator({ dataset: await loadDataset() });
    for (const [umask, file, folder] of [
      [undefined, '600', '700'],
      ['027', '640', '750'],
    ] as const) {
      await rm(workDir, { recursive: true, force: true });
      await mkdir(inbox(), { recursive: true, mode: 0o755 });
      await writeFile(join(inbox(), 'a.csv'), `request_id,email\nA1,${PEOPLE[0]}\n`, { mode: 0o644 });
      // not a request file: it goes to failed/, with a summary
      await writeFile(join(inbox(), 'b.json'), '{"not": "an array"', { mode: 0o644 });

      const result = await watch(['--once', ...(umask !== undefined ? ['--umask', umask] : [])]).done;

      expect(result.code).toBe(1);
      const done = await list('done');
      expect(done.filter((name) => /-a\.csv(\.ledger\.jsonl|\.report\.csv|\.summary\.json)?$/.test(name))).toHaveLength(4);
      for (const name of done) expect({ name, mode: await modeOf(join(workDir, 'done', name)) }).toEqual({ name, mode: file });
      const failed = await list('failed');
      expect(failed.filter((name) => /-b\.json(\.summary\.json)?$/.test(name))).toHaveLength(2);
      for (const name of failed) expect({ name, mode: await modeOf(join(workDir, 'failed', name)) }).toEqual({ name, mode: file });
      for (const created of ['processing', 'done', 'failed', 'state', 'state/claims', 'state/sha256']) {
        expect({ created, mode: await modeOf(join(workDir, created)) }).toEqual({ created, mode: folder });
      }
      expect(await modeOf(join(workDir, 'state', 'processed.jsonl'))).toBe(file);
    }
  });

  test('--umask that is not three octal digits is a usage error, before anything is read', async () => {
    simulator = await startSimulator({ dataset: await loadDataset() });
    await mkdir(inbox(), { recursive: true });
    await writeFile(join(inbox(), 'a.csv'), `request_id,email\nA1,${PEOPLE[0]}\n`);
    const result = await watch(['--once', '--umask', '0o77']).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--umask must be three octal digits');
    expect(await list('inbox')).toEqual(['a.csv']);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });
});

describe('what inbox/ holds that is not taken', () => {
  test('a symlink and a dotfile are left in inbox/ and logged once each, however many polls see them', async () => {
    simulator = await startSimulator({ dataset: await loadDataset() });
    await mkdir(inbox(), { recursive: true });
    const elsewhere = join(workDir, 'elsewhere.csv');
    await writeFile(elsewhere, `request_id,email\nL1,${PEOPLE[1]}\n`);
    await symlink(elsewhere, join(inbox(), 'link.csv'));
    await writeFile(join(inbox(), '.hidden.csv'), `request_id,email\nH1,${PEOPLE[2]}\n`);

    const { child, done, stderr } = watch(['--poll', '0.1', '--quiet', '0.2'], { LOG_LEVEL: 'debug' });
    await waitFor(() => stderr().includes('watching inbox/'), 15_000);
    // A real file after them, to know several polls went by: it is claimed only after two looks and the quiet time.
    await writeFile(join(inbox(), 'real.csv'), `request_id,email\nR1,${PEOPLE[0]}\n`);
    await waitFor(() => stderr().includes('"file":"real.csv","outcome":"done"'), 15_000);
    // and another, for more polls still
    await writeFile(join(inbox(), 'real2.csv'), `request_id,email\nR2,${PEOPLE[1]}\n`);
    await waitFor(() => stderr().includes('"file":"real2.csv","outcome":"done"'), 15_000);
    child.kill('SIGTERM');
    const result = await done;

    expect(result.code).toBe(143);
    const lines = result.stderr.split('\n');
    expect(lines.filter((line) => line.includes('"file":"link.csv"') && line.includes('"kind":"symlink"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('"file":".hidden.csv"') && line.includes('"kind":"dotfile"'))).toHaveLength(1);
    expect((await list('inbox')).sort()).toEqual(['.hidden.csv', 'link.csv']);
    expect(simulator.mutationCalls.length).toBeGreaterThan(0);
    expect(result.stderr).not.toMatch(PII);
  });
});

describe('a file without requests', () => {
  test('an empty file and a header-only file are warned of, in the log naming the file and in the summary', async () => {
    simulator = await startSimulator({ dataset: await loadDataset() });
    await mkdir(inbox(), { recursive: true });
    await writeFile(join(inbox(), 'empty.csv'), '');
    await writeFile(join(inbox(), 'header.csv'), 'request_id,email\n');
    await writeFile(join(inbox(), 'full.csv'), `request_id,email\nF1,${PEOPLE[0]}\n`);

    const result = await watch(['--once']).done;

    const byFile = Object.fromEntries([...(await summaries('done')), ...(await summaries('failed'))].map((summary) => [summary.file, summary]));
    for (const file of ['empty.csv', 'header.csv']) {
      expect(byFile[file]?.warnings).toEqual([expect.stringContaining('no request')]);
      expect(result.stderr.split('\n').filter((line) => line.includes(`"file":"${file}"`) && line.includes('holds no request'))).toHaveLength(1);
    }
    expect(byFile['full.csv']?.warnings).toBeUndefined();
    expect(byFile['full.csv']).toMatchObject({ requests: { completed: 1 } });
  });
});

describe('a drop folder that cannot be written', () => {
  test('a file where the drop folder should be: one line naming the path and the code, exit 1, no stack, nothing sent', async () => {
    simulator = await startSimulator({ dataset: await loadDataset() });
    const notAFolder = join(workDir, 'drop');
    await writeFile(notAFolder, 'a file', 'utf8');
    const started = spawnCli(['watch', notAFolder, '--once', '--endpoint', simulator.graphqlUrl], {
      IADVIZE_TOKEN: STATIC_TOKEN,
      IADVIZE_PROJECT_IDS: '6949,7012',
    });
    const result = await started.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`iadvize-erasure: mkdir ${join(notAFolder, 'inbox')}: ENOTDIR\n`);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });
});
