import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATIC_TOKEN = 'simulator-static-token';

interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script as `npm run schema:pull` would, asynchronously: the simulator answers from this process. */
function runPullSchema(args: string[], env: Record<string, string | undefined>): Promise<ScriptResult> {
  const childEnv = { ...process.env, IADVIZE_TOKEN: undefined, IADVIZE_ENDPOINT: undefined, ...env };
  const child = spawn(process.execPath, ['scripts/pull-schema.mjs', ...args], { cwd: REPO_ROOT, env: childEnv, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pull-schema.mjs did not finish within 15 s; stderr: ${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function normalized(sdl: string): string {
  return printSchema(lexicographicSortSchema(buildSchema(sdl)));
}

describe('scripts/pull-schema.mjs', () => {
  let simulator: Simulator;
  let workDir: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    workDir = mkdtempSync(join(tmpdir(), 'pull-schema-'));
  });

  afterAll(async () => {
    await simulator.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('writes the schema the endpoint serves, with a header naming the endpoint and the next step', async () => {
    const out = join(workDir, 'nested', 'schema.graphql');
    const result = await runPullSchema(['--endpoint', simulator.graphqlUrl, '--out', out], { IADVIZE_TOKEN: STATIC_TOKEN });
    expect(result).toMatchObject({ code: 0, stderr: '' });

    const written = readFileSync(out, 'utf8');
    expect(written.split('\n')[0]).toMatch(new RegExp(`^# Pulled from ${simulator.graphqlUrl} on \\d{4}-\\d{2}-\\d{2}`));
    expect(written).toContain('npm run codegen');
    expect(normalized(written)).toBe(normalized(readFileSync(join(REPO_ROOT, 'graphql/schema.graphql'), 'utf8')));
    expect(result.stdout).not.toContain(STATIC_TOKEN);
  });

  test('a wrong token exits 1 with the status on one line, and never prints the token', async () => {
    const wrongToken = 'wrong-token-d41d8cd98f00b204';
    const out = join(workDir, 'refused.graphql');
    const result = await runPullSchema(['--endpoint', simulator.graphqlUrl, '--out', out], { IADVIZE_TOKEN: wrongToken });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('401');
    expect(result.stderr).toContain('invalid_token');
    expect(result.stderr + result.stdout).not.toContain(wrongToken);
    expect(() => readFileSync(out)).toThrow();
  });

  test('a gateway error exits 1 naming the status and the error, not the body, and leaves no file', async () => {
    simulator.faults.script({ kind: 'bad_gateway', operationName: 'IntrospectionQuery' });
    const out = join(workDir, 'gateway.graphql');
    const result = await runPullSchema(['--endpoint', simulator.graphqlUrl, '--out', out], { IADVIZE_TOKEN: STATIC_TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`schema:pull: ${simulator.graphqlUrl} answered HTTP 502 (bad_gateway)\n`);
    expect(() => readFileSync(out)).toThrow();
  });

  test('without IADVIZE_TOKEN it exits 1 before calling the endpoint', async () => {
    const callsBefore = simulator.stats.graphqlRequests;
    const result = await runPullSchema(['--endpoint', simulator.graphqlUrl, '--out', join(workDir, 'unused.graphql')], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^schema:pull: IADVIZE_TOKEN is not set/);
    expect(simulator.stats.graphqlRequests).toBe(callsBefore);
  });

  test('a token flag is refused: secrets come only from the environment', async () => {
    const result = await runPullSchema(['--endpoint', simulator.graphqlUrl, '--token', STATIC_TOKEN], { IADVIZE_TOKEN: STATIC_TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown option '--token'/);
    expect(result.stderr).not.toContain(STATIC_TOKEN);
  });
});
