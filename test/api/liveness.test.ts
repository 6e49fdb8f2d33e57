import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Issue 13, items 8, 9 and 11, end to end: the built CLI against the simulator playing 429s the
 * tool's rate did not cause, malformed 200 answers, and an endpoint nobody listens on.
 */

const REQUESTS = join(REPO_ROOT, 'fixtures/demo-requests.csv');
let simulator: Simulator | undefined;
let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-liveness-'));
});

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
  await rm(workDir, { recursive: true, force: true });
});

interface Run extends CliResult {
  ledger: Array<Record<string, unknown>>;
}

async function run(endpoint: string): Promise<Run> {
  const ledgerPath = join(workDir, 'ledger.jsonl');
  // --trace-warnings: a warning would come with its stack, which the assertions below also refuse.
  // a fixed interval: the variables, and so the simulator's seeded faults (keyed by the call), are the same at every run
  const interval = ['--since', '2020-01-01', '--until', '2030-01-01'];
  const result = await runCli(['run', REQUESTS, '--ledger', ledgerPath, '--report', join(workDir, 'report.csv'), '--endpoint', endpoint, ...interval], {
    IADVIZE_TOKEN: STATIC_TOKEN,
    IADVIZE_PROJECT_IDS: '6949,7012',
    NODE_OPTIONS: '--trace-warnings',
  });
  const text = await readFile(ledgerPath, 'utf8').catch(() => '');
  const ledger = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...result, ledger };
}

async function simulate(faults: SimulatorOptions['faults']): Promise<Simulator> {
  simulator = await startSimulator({ faults });
  return simulator;
}

function failedCodes(ledger: ReadonlyArray<Record<string, unknown>>): string[] {
  return ledger
    .filter((event) => event.status === 'failed' && event.type === 'target')
    .map((event) => String((event.error as { name?: unknown } | undefined)?.name));
}

describe('no MaxListenersExceededWarning in retry-heavy runs (item 11)', () => {
  test('an endpoint nobody listens on: the preflight says so at once (exit 1), and stderr holds no listener warning', async () => {
    const result = await run('http://127.0.0.1:1/graphql');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('iadvize-erasure: cannot reach http://127.0.0.1:1/graphql (ECONNREFUSED)\n');
  }, 60_000);

  test('every connection dropped once past the preflight: every call retried, the run ends 3, and stderr holds no listener warning', async () => {
    const sim = await simulate({ probabilities: { drop_after_commit: 1 }, spared: ['ProjectVisible'] });
    const result = await run(sim.graphqlUrl);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"msg":"run finished"');
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    expect(JSON.stringify(result.ledger)).toContain('NETWORK_');
  }, 60_000);
});

describe('malformed answers are retried, never a crash (item 9)', () => {
  test.each(['empty_answer', 'missing_field', 'wrong_type'] as const)(
    "a third of the calls answered '%s' (200): retried, the run ends as without them, no stack trace",
    async (kind) => {
      const calm = await simulate({});
      const calmRun = await run(calm.graphqlUrl);
      await calm.close();
      await rm(join(workDir, 'ledger.jsonl'));

      const sim = await simulate({ seed: 4, probabilities: { [kind]: 0.3 } });
      const result = await run(sim.graphqlUrl);

      expect(sim.stats.faults[kind]).toBeGreaterThan(3);
      expect(result.code).toBe(calmRun.code);
      expect(result.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
      expect(failedCodes(result.ledger)).toEqual([]);
      const statuses = (ledger: ReadonlyArray<Record<string, unknown>>) =>
        Object.fromEntries(ledger.filter((event) => event.type === 'request').map((event) => [event.requestId, event.status]));
      expect(statuses(result.ledger)).toEqual(statuses(calmRun.ledger));
    },
    60_000,
  );

  test('every call answered {}: the targets and requests fail with UNEXPECTED_RESPONSE, exit 3, not 1', async () => {
    // the preflight's check is spared: a configuration check failing is exit 1 (test/e2e/preflight.test.ts)
    const sim = await simulate({ probabilities: { empty_answer: 1 }, spared: ['ProjectVisible'] });
    const result = await run(sim.graphqlUrl);

    expect(result.code).toBe(3);
    expect(result.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
    const failedRequests = result.ledger.filter((event) => event.type === 'request' && event.status === 'failed');
    expect(failedRequests.length).toBeGreaterThan(0);
    expect(JSON.stringify(failedRequests)).toContain('UNEXPECTED_RESPONSE');
  }, 60_000);
});

describe('429s the tool did not cause (item 8)', () => {
  test('a third of the calls answered 429 (Retry-After: 1) at random: the run completes, no target failed', async () => {
    const sim = await simulate({ seed: 5, probabilities: { rate_limited: 0.3 } });
    const result = await run(sim.graphqlUrl);

    expect(sim.stats.faults.rate_limited).toBeGreaterThan(5);
    expect(result.code).toBe(2);
    expect(failedCodes(result.ledger)).toEqual([]);
  }, 60_000);
});
