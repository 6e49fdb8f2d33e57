import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { PASSWORD, STATIC_TOKEN, USERNAME } from '../helpers/simulatorClient.js';

/**
 * The preflight (src/run/preflight.ts): before any mutation, every command that calls the API
 * checks the endpoint, the credentials and each project, and a failure is one line on stderr,
 * exit 1, with nothing sent but the checks and nothing recorded. The real CLI against the simulator.
 */

let simulator: Simulator;
let workDir: string;
let input: string;

const REQUESTS = 'request_id,email\nA1,alice.marchetti@example.com\nB1,bruno.keller@example.net\nC1,chloe.roussel@example.org\n';

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-preflight-'));
  input = join(workDir, 'requests.csv');
  await writeFile(input, REQUESTS, 'utf8');
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const ledger = () => join(workDir, 'ledger.jsonl');
const report = () => join(workDir, 'report.csv');

function cli(args: string[], env: Record<string, string> = {}, endpoint = simulator.graphqlUrl): Promise<CliResult> {
  return runCli([...args, '--endpoint', endpoint], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', ...env });
}

function runCommand(env: Record<string, string> = {}, endpoint?: string): Promise<CliResult> {
  return cli(['run', input, '--ledger', ledger(), '--report', report()], env, endpoint);
}

/** Exactly one line on stderr, exit 1, nothing on stdout: no JSON log line, no warning, no stack. */
function expectOneLine(result: CliResult, line: string): void {
  expect(result.stderr).toBe(`iadvize-erasure: ${line}\n`);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
}

/** A TCP port that accepts connections and closes each at once, counting them: an endpoint that never answers. */
async function closingServer(): Promise<{ url: string; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, connections: () => connections, server };
}

describe('an endpoint that cannot be reached', () => {
  test('nothing listens: one line naming the endpoint and ECONNREFUSED, exit 1, no ledger, no listener warning', async () => {
    const result = await runCommand({}, 'http://127.0.0.1:1/graphql');

    expectOneLine(result, 'cannot reach http://127.0.0.1:1/graphql (ECONNREFUSED)');
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    expect(existsSync(ledger())).toBe(false);
    expect(existsSync(report())).toBe(false);
  });

  test('connections closed unanswered: a couple of attempts for the first project, not a run of retries, and no other project tried', async () => {
    const closing = await closingServer();
    try {
      const result = await runCommand({}, closing.url);

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^iadvize-erasure: cannot reach ${closing.url.replace(/[.]/g, '\\.')} \\([A-Z_]+\\)\\n$`));
      expect(closing.connections()).toBeLessThanOrEqual(3);
      expect(closing.connections()).toBeGreaterThanOrEqual(1);
    } finally {
      await new Promise((resolve) => closing.server.close(resolve));
    }
  });
});

describe('a project the account cannot see', () => {
  test('run: one line naming project 9999, exit 1, one check per project and no other call', async () => {
    const result = await runCommand({ IADVIZE_PROJECT_IDS: '6949,9999' });

    expectOneLine(result, 'project 9999 is not visible to this account (PERMISSION_DENIED)');
    expect(simulator.stats.graphqlRequests).toBe(2);
    expect(simulator.mutationCalls).toEqual([]);
    expect(existsSync(ledger())).toBe(false);
  });

  test('two of them are named in the one line', async () => {
    const result = await runCommand({ IADVIZE_PROJECT_IDS: '9998,6949,9999' });

    expectOneLine(result, 'projects 9998, 9999 are not visible to this account (PERMISSION_DENIED)');
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('plan: no plan file, no report', async () => {
    const out = join(workDir, 'plan.json');
    const result = await cli(['plan', input, '--out', out], { IADVIZE_PROJECT_IDS: '9999' });

    expectOneLine(result, 'project 9999 is not visible to this account (PERMISSION_DENIED)');
    expect(existsSync(out)).toBe(false);
    expect(simulator.stats.graphqlRequests).toBe(1);
  });

  test('watch --once: exit 1 with the line, and the dropped file stays in inbox/', async () => {
    const folder = join(workDir, 'drop');
    await mkdir(join(folder, 'inbox'), { recursive: true });
    await writeFile(join(folder, 'inbox', 'a.csv'), REQUESTS, 'utf8');

    const result = await cli(['watch', folder, '--once', '--quiet', '0.1'], { IADVIZE_PROJECT_IDS: '6949,9999' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('iadvize-erasure: project 9999 is not visible to this account (PERMISSION_DENIED)\n');
    expect(await readdir(join(folder, 'inbox'))).toEqual(['a.csv']);
    expect(simulator.stats.graphqlRequests).toBe(2);
    expect(simulator.mutationCalls).toEqual([]);
  });

  test('verify: a ledger to check, with --project-ids naming one the account cannot see', async () => {
    expect((await runCommand()).code).toBe(0);
    const callsAfterRun = simulator.stats.graphqlRequests;

    const result = await cli(['verify', input, '--ledger', ledger(), '--report', join(workDir, 'verify.csv'), '--project-ids', '9999']);

    expectOneLine(result, 'project 9999 is not visible to this account (PERMISSION_DENIED)');
    expect(simulator.stats.graphqlRequests - callsAfterRun).toBe(1);
  });
});

describe('refused credentials', () => {
  test('a static token the API refuses: one line, exit 1, after one call', async () => {
    const result = await runCommand({ IADVIZE_TOKEN: 'revoked-token' });

    expectOneLine(result, 'the API refused the credentials (UNAUTHENTICATED); check IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD');
    expect(result.stderr).not.toContain('revoked-token');
    expect(simulator.stats.graphqlRequests).toBe(1);
  });

  test('apply: a plan applied with a token the API refuses sends no mutation and records nothing', async () => {
    const out = join(workDir, 'plan.json');
    expect((await cli(['plan', input, '--out', out])).code).toBe(0);

    const result = await cli(['apply', out, '--ledger', ledger(), '--report', report()], { IADVIZE_TOKEN: 'revoked-token' });

    expectOneLine(result, 'the API refused the credentials (UNAUTHENTICATED); check IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD');
    expect(simulator.mutationCalls).toEqual([]);
    expect(existsSync(ledger())).toBe(false);
  });

  test('a wrong password: the login is refused, no GraphQL call goes out', async () => {
    const result = await runCommand({ IADVIZE_TOKEN: '', IADVIZE_USERNAME: USERNAME, IADVIZE_PASSWORD: 'not-the-password' });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^iadvize-erasure: the API refused the credentials \(LOGIN_[A-Z_]+\); check IADVIZE_TOKEN/);
    expect(result.stderr).not.toContain('not-the-password');
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  test('the right password: the preflight and the run share one login', async () => {
    const result = await runCommand({ IADVIZE_TOKEN: '', IADVIZE_USERNAME: USERNAME, IADVIZE_PASSWORD: PASSWORD });

    expect(result.code).toBe(0);
    expect(simulator.logins).toBe(1);
  });
});

describe('transient answers to the checks', () => {
  test('two 502s on a check are retried with the normal backoff, and the run goes on', async () => {
    simulator.faults.script({ kind: 'bad_gateway', operationName: 'ProjectVisible' }, { kind: 'bad_gateway', operationName: 'ProjectVisible' });

    const result = await runCommand();

    expect(result.code).toBe(0);
    expect(simulator.stats.faults.bad_gateway).toBe(2);
    expect(simulator.mutationCalls.length).toBeGreaterThan(0);
  });

  test('502s past the few attempts: the project is named with the code, exit 1, nothing sent', async () => {
    simulator.faults.script(...Array.from({ length: 3 }, () => ({ kind: 'bad_gateway' as const, operationName: 'ProjectVisible' })));

    const result = await runCommand();

    expectOneLine(result, `${simulator.graphqlUrl} could not check project 6949 (HTTP_502)`);
    // three attempts for 6949, one for 7012
    expect(simulator.stats.graphqlRequests).toBe(4);
    expect(simulator.mutationCalls).toEqual([]);
  });
});
