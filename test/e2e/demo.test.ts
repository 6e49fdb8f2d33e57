import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/runCli.js';

let tempRoot: string;

beforeAll(async () => {
  tempRoot = await mkdtemp(join(tmpdir(), 'iadvize-erasure-demo-test-'));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

/** `npm start` without the build: the demo's temporary folder goes under TMPDIR, here a folder of this test's own. */
function runDemo(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/demo.js'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', TMPDIR: tempRoot },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

/** The demo's requests, from its file: id and received_at. */
async function demoRequests(): Promise<{ requestId: string; receivedAt: string }[]> {
  const text = (await readFile(join(REPO_ROOT, 'fixtures', 'demo-requests.csv'), 'utf8')).replace(/^\uFEFF/, '');
  return text
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(';'))
    .map((cells) => ({ requestId: cells[0]!, receivedAt: cells[6]! }));
}

describe('npm start (the demo)', () => {
  let result: { code: number | null; stdout: string };
  let lines: string[];

  // one run, read by each test
  beforeAll(async () => {
    result = await runDemo();
    lines = result.stdout.split('\n');
  });

  test('shows every outcome in its table, within 100 columns, and exits 0', () => {
    expect(result.code).toBe(0);
    for (const line of lines) expect([line, line.length <= 100]).toEqual([line, true]);
    const statusOf = (request: string) => new RegExp(`^${request}\\s+(\\S+)`, 'm').exec(result.stdout)?.[1];
    expect(['DEMO-001', 'DEMO-002', 'DEMO-003', 'DEMO-004', 'DEMO-005', 'DEMO-006', 'DEMO-007', 'DEMO-008'].map(statusOf)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'no_match',
      'needs_review',
      'rejected',
      'rejected',
    ]);
    // DEMO-003 names a conversation anonymized before the run: one target already done.
    expect(result.stdout).toMatch(/^DEMO-003\s+completed\s+2\s+1\s+2\s+1\s+0\s+0\s/m);
    // DEMO-009: her profile, her anonymous second device and their 3 conversations are erased; a namesake
    // with another e-mail (1 visitor, 2 conversations) and a neighbour who named her (1 and 1) are held.
    expect(result.stdout).toMatch(
      /^DEMO-009\s+needs_review\s+6\s+4\s+5\s+0\s+0\s+5\s.*\n.*\n\s+why: held for review: 2 visitors whose profiles name someone else/m,
    );
  });

  test('labels each request with the scenario it shows, and its deadline one month after received_at', async () => {
    const requests = await demoRequests();
    expect(requests).toHaveLength(9);
    const labels = new Map<string, string>();
    for (const { requestId, receivedAt } of requests) {
      const row = lines.findIndex((line) => line.startsWith(`${requestId} `));
      expect(row).toBeGreaterThan(0);
      const [year, month, day] = receivedAt.split('-').map(Number);
      const deadline = new Date(Date.UTC(year!, month!, day!)).toISOString().slice(0, 10);
      expect([requestId, lines[row]!.split(/\s+/)[8]]).toEqual([requestId, deadline]);
      const label = lines[row + 1]!;
      expect(label).toMatch(/^ {10}\S/);
      expect(label).not.toMatch(/why:|not described/);
      labels.set(requestId, label.trim());
    }
    expect(new Set(labels.values()).size).toBe(requests.length);
    expect(labels.get('DEMO-003')).toContain('anonymized before');
    expect(labels.get('DEMO-005')).toContain('no match');
    expect(labels.get('DEMO-006')).toContain('over-match guard');
    expect(labels.get('DEMO-007')).toContain('rejected');
    expect(labels.get('DEMO-009')).toContain('namesake');
  });

  test('removes its temporary folder, saying where it was', async () => {
    const folder = /^The ledger and report were written in this temporary folder, removed now:\n {2}(\S+)$/m.exec(result.stdout)?.[1];
    expect(folder?.startsWith(join(tempRoot, 'iadvize-erasure-demo-'))).toBe(true);
    expect(existsSync(folder!)).toBe(false);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  test('ends with the two commands to run next against the real API', () => {
    const next = lines.slice(lines.findIndex((line) => line.startsWith('Next, against the real API')));
    expect(next[0]).toContain('IADVIZE_TOKEN');
    expect(next.filter((line) => line.startsWith('  $ '))).toEqual(['  $ iadvize-erasure plan requests.csv', '  $ iadvize-erasure apply plan.json']);
  });
});
