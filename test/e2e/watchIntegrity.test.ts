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

const PEOPLE = ['alice.marchetti@example.com', 'chloe.roussel@example.org', 'hugo.petit@example.com', 'ines.moreau@example.com', 'jules.garnier@example.com', 'lea.fontaine@example.com'];
const PII = /@example|marchetti|roussel|petit|moreau|garnier|fontaine/i;
const inbox = () => join(workDir, 'inbox');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

function watch(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; stderr: () => string } {
  const started = spawnCli(['watch', workDir, '--endpoint', simulator.graphqlUrl, ...args], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', ...env }, 60_000);
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
  test('a writer pausing longer than --quiet, then finishing during the run: the file runs again on its whole content before it is put away', async () => {
    simulator = await startSimulator({ dataset: await loadDataset(), faults: { latencyMs: 150 } });
    await mkdir(inbox(), { recursive: true });
    const rows = PEOPLE.map((email, index) => `S${index},${email}\n`);
    const whole = `request_id,email\n${rows.join('')}`;
    // Cut in the middle of a row, before its e-mail's @: the first half holds 3 whole requests and a torn one.
    const cut = whole.indexOf('jules.garnier') + 'jules.gar'.length;
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
    expect(summary).toMatchObject({ file: 'paused.csv', outcome: 'done', exitCode: 0, sha256: sha256(whole), requests: { completed: PEOPLE.length } });
    const claimedAs = summary?.claimedAs as string;
    expect(sha256(await readFile(join(workDir, 'done', claimedAs)))).toBe(sha256(whole));
    // The second run is recorded in the same ledger, with the whole content's SHA-256.
    const ledger = (await readFile(join(workDir, 'done', `${claimedAs}.ledger.jsonl`), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const runs = ledger.filter((event) => event.type === 'run') as { inputs: { sha256: string }[] }[];
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.at(-1)?.inputs[0]?.sha256).toBe(sha256(whole));
    expect(stderr()).toMatch(/"file":"paused.csv"[^\n]*changed while it was processed/);
    expect(stderr()).not.toMatch(PII);
    expect(JSON.stringify(summary)).not.toMatch(PII);
  });
});
