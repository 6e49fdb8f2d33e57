import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * `iadvize-erasure doctor`: the preflight's checks one line each, then graphql/operations against
 * the live schema by introspection. The real CLI against the simulator, serving our schema or one
 * that differs from it.
 */

let simulator: Simulator | undefined;
let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-doctor-'));
});

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
  await rm(workDir, { recursive: true, force: true });
});

async function start(options: Omit<SimulatorOptions, 'dataset'> = {}): Promise<Simulator> {
  simulator = await startSimulator({ dataset: await loadDataset(), ...options });
  return simulator;
}

function doctor(endpoint: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['doctor', '--endpoint', endpoint], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', ...env });
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('doctor', () => {
  test('against the simulator: every check ok, the operations valid against its schema, exit 0, no mutation', async () => {
    const api = await start();

    const result = await doctor(api.graphqlUrl);

    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      `ok    endpoint ${api.graphqlUrl} answers`,
      'ok    credentials accepted (IADVIZE_TOKEN)',
      'ok    project 6949 is visible',
      'ok    project 7012 is visible',
      expect.stringMatching(/^ok {4}schema: the \d+ files of graphql\/operations are valid against the live schema$/),
    ]);
    expect(result.stderr).toBe('');
    expect(api.mutationCalls).toEqual([]);
  });

  test('a schema that differs in one assumed field: doctor names it, marked ASSUMED, with where our operations use it, exit 1', async () => {
    const ours = await readFile(join(REPO_ROOT, 'graphql', 'schema.graphql'), 'utf8');
    // Conversation.projectId is ASSUMED in our schema; the API here calls it `project`.
    const theirs = ours.replace(/\n {2}projectId: Int!\n/, '\n  project: Int!\n');
    expect(theirs).not.toBe(ours);
    const schemaPath = join(workDir, 'their-schema.graphql');
    await writeFile(schemaPath, theirs, 'utf8');
    const api = await start({ schemaPath });

    const result = await doctor(api.graphqlUrl);

    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output.slice(0, 4).every((line) => line.startsWith('ok '))).toBe(true);
    expect(output[4]).toBe('FAIL  schema: 1 difference between graphql/operations and the live schema (1 assumed)');
    expect(output[5]).toMatch(
      /^ {8}ASSUMED Conversation\.projectId: Cannot query field "projectId" on type "Conversation"\. Did you mean "project"\? \(Review\w+\.graphql:\d+(, Review\w+\.graphql:\d+)*\)$/,
    );
    expect(output).toHaveLength(6);
    expect(api.mutationCalls).toEqual([]);
  });

  test('an API that refuses introspection: the schema part is skipped and said so, exit 0', async () => {
    const api = await start({ refuseIntrospection: true });

    const result = await doctor(api.graphqlUrl);

    expect(result.code).toBe(0);
    expect(lines(result.stdout).at(-1)).toBe('skip  schema not compared: the API refused introspection (INVALID_ARGUMENT)');
  });

  test('a project the account cannot see: its line fails, the others pass, exit 1', async () => {
    const api = await start();

    const result = await doctor(api.graphqlUrl, { IADVIZE_PROJECT_IDS: '6949,9999' });

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toContain('ok    project 6949 is visible');
    expect(lines(result.stdout)).toContain('FAIL  project 9999 is not visible to this account (PERMISSION_DENIED)');
  });

  test('an endpoint nothing listens on: the endpoint line fails, the rest is skipped, exit 1, quickly (no retry of a refused connection)', async () => {
    const result = await doctor('http://127.0.0.1:1/graphql');

    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      'FAIL  cannot reach http://127.0.0.1:1/graphql (ECONNREFUSED)',
      'skip  project 6949 not checked',
      'skip  project 7012 not checked',
      'skip  schema not compared',
    ]);
  });

  test('a refused token: the credentials line fails, exit 1, and the token is not printed', async () => {
    const api = await start();

    const result = await doctor(api.graphqlUrl, { IADVIZE_TOKEN: 'revoked-token' });

    expect(result.code).toBe(1);
    expect(lines(result.stdout)[0]).toBe(
      'FAIL  the API refused the credentials (UNAUTHENTICATED); check IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD',
    );
    expect(result.stdout + result.stderr).not.toContain('revoked-token');
    expect(api.stats.graphqlRequests).toBe(1);
  });
});

describe('a run against an API whose schema refuses the preflight query itself', () => {
  test('the line names the project and the code, and points to doctor', async () => {
    const ours = await readFile(join(REPO_ROOT, 'graphql', 'schema.graphql'), 'utf8');
    // visitors(first:) is ASSUMED; an API without it refuses ProjectVisible with a 400
    const theirs = ours.replace('    # ASSUMED: visitors paginates like closedConversations (first/after, 100 at most, 20 by default).\n    first: Int\n', '');
    expect(theirs).not.toBe(ours);
    const schemaPath = join(workDir, 'their-schema.graphql');
    await writeFile(schemaPath, theirs, 'utf8');
    const api = await start({ schemaPath });
    await writeFile(join(workDir, 'requests.csv'), 'request_id,email\nA1,alice.marchetti@example.com\n', 'utf8');

    const result = await runCli(
      ['run', join(workDir, 'requests.csv'), '--ledger', join(workDir, 'ledger.jsonl'), '--report', join(workDir, 'report.csv'), '--endpoint', api.graphqlUrl],
      { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949' },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `iadvize-erasure: ${api.graphqlUrl} could not check project 6949 (INVALID_ARGUMENT, HTTP 400); iadvize-erasure doctor compares graphql/ with the live schema\n`,
    );
    expect(api.mutationCalls).toEqual([]);
  });
});
