import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../helpers/runCli.js';

function runDemo(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/demo.js'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
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

describe('npm start (the demo)', () => {
  test('shows every outcome in its table, says where ledger and report are, and exits 0', async () => {
    const { code, stdout } = await runDemo();

    expect(code).toBe(0);
    const statusOf = (request: string) => new RegExp(`^${request}\\s+(\\S+)`, 'm').exec(stdout)?.[1];
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
    expect(stdout).toMatch(/^DEMO-003\s+completed\s+2\s+1\s+2\s+1\s+0/m);
    // DEMO-009: her profile, her anonymous second device and their 3 conversations are erased; a namesake
    // with another e-mail (1 visitor, 2 conversations) and a neighbour who named her (1 and 1) are held.
    expect(stdout).toMatch(/^DEMO-009\s+needs_review\s+6\s+4\s+5\s+0\s+0\s+5\s+held for review: 2 visitors whose profiles name someone else/m);
    expect(stdout).toMatch(/^Ledger: \S+erasure\.ledger\.jsonl$/m);
    expect(stdout).toMatch(/^Report: \S+erasure\.report\.csv$/m);
  });
});
