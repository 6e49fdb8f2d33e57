import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IadvizeClient } from '../../src/api/iadvizeClient.js';
import { staticToken } from '../../src/api/tokenProvider.js';
import { exitCodeOf } from '../../src/commands/exitCodes.js';
import { readLedger } from '../../src/ledger/readLedger.js';
import { summarize } from '../../src/ledger/summarizeLedger.js';
import { writeReport } from '../../src/ledger/writeReport.js';
import { createLogger } from '../../src/logging/createLogger.js';
import { runErasure, type RunOptions } from '../../src/run/runErasure.js';
import { generatedEmail, generateDataset } from '../../src/simulator/generateDataset.js';
import { mulberry32 } from '../../src/simulator/seededRandom.js';
import { startSimulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';
import { virtualTime } from '../helpers/virtualTime.js';

/**
 * A run reads its ledger once, when it starts, and ends from what it wrote since (ledgerAtEnd in
 * runErasure.ts): its report, its summary and its counts must be what replaying the ledger gives.
 */

const PROJECT = 6949;
const PEOPLE = 12;
const dataset = generateDataset({ seed: 5, projectIds: [PROJECT], visitors: PEOPLE, conversationsPerVisitor: 2 });
// Each person twice (one target credited to two requests), and a row rejected.
const requestsCsv = `request_id,email\n${dataset.visitors.flatMap((_, n) => [`A${n},${generatedEmail(n)}`, `B${n},${generatedEmail(n)}`]).join('\n')}\nBAD,not-an-email\n`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: SimulatorOptions = {}) {
  const simulator = await startSimulator({ dataset, ...options });
  const dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-ledger-at-end-'));
  cleanups.push(
    () => simulator.close(),
    () => rm(dir, { recursive: true, force: true }),
  );
  const input = join(dir, 'requests.csv');
  await writeFile(input, requestsCsv);
  return { simulator, dir, input, ledgerPath: join(dir, 'ledger.jsonl'), reportPath: join(dir, 'report.csv') };
}

async function run(setup: Awaited<ReturnType<typeof setUp>>, seed: number, changes: Partial<RunOptions> = {}, stop?: AbortSignal, maxAttempts = 2) {
  const time = virtualTime();
  const client = new IadvizeClient({
    endpoint: setup.simulator.graphqlUrl,
    tokens: staticToken(STATIC_TOKEN),
    concurrency: 4,
    maxAttempts,
    sleep: time.sleep,
    nowMs: time.nowMs,
    random: mulberry32(seed),
  });
  const options: RunOptions = {
    source: { kind: 'files', files: [setup.input] },
    ledgerPath: setup.ledgerPath,
    reportPath: setup.reportPath,
    concurrency: 4,
    projectIds: [PROJECT],
    maxVisitorsPerRequest: 5,
    interval: { from: new Date(Date.now() - 3 * 365 * 86_400_000).toISOString(), to: new Date().toISOString() },
    dryRun: false,
    ...changes,
  };
  return runErasure(options, { client, logger: createLogger('silent'), version: 'test', exitCodeOf, ...(stop !== undefined ? { stop, stopGraceMs: 0 } : {}) });
}

/** The run's report, summary and counts against those of its ledger replayed. */
async function expectEndAsReplayed(setup: Awaited<ReturnType<typeof setUp>>, result: Awaited<ReturnType<typeof run>>) {
  const replayed = await readLedger(setup.ledgerPath);
  const replayedReport = join(setup.dir, 'replayed.csv');
  await writeReport(replayedReport, replayed);
  expect(await readFile(setup.reportPath, 'utf8')).toBe(await readFile(replayedReport, 'utf8'));
  const counts = summarize(replayed);
  expect(result.ledger).toEqual(counts);
  const { type, runId, finishedAt, exitCode, ...summaryCounts } = replayed.summaries.at(-1)!;
  expect({ type, runId, exitCode }).toEqual({ type: 'summary', runId: result.runId, exitCode: result.exitCode });
  expect(typeof finishedAt).toBe('string');
  expect(summaryCounts).toEqual(counts);
  return counts;
}

describe("a run's end without replaying its ledger", () => {
  test('a calm run: shared targets and a rejected row', async () => {
    const setup = await setUp();
    const result = await run(setup, 1);
    const counts = await expectEndAsReplayed(setup, result);
    expect(counts.requests.completed).toBe(2 * PEOPLE);
    expect(counts.requests.rejected).toBe(1);
    // the end summary's: on a new ledger, this run's targets are the ledger's; the rejected row by its line
    expect(result.targets).toEqual(counts.targets);
    expect(result.rejectedRows).toEqual([{ file: setup.input, line: 2 * PEOPLE + 2 }]);
    expect(result.api.calls).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('failed targets (the circuit opens), then a re-run that finishes them', async () => {
    const setup = await setUp();
    // One attempt per call. The first 12 visitor anonymizations fail: a target failed for one
    // request is sent again for the other request sharing it, and some fail twice.
    setup.simulator.faults.script(...Array.from({ length: 12 }, () => ({ kind: 'bad_gateway' as const, operationName: 'VisitorAnonymize' })));
    const first = await run(setup, 2, {}, undefined, 1);
    const firstCounts = await expectEndAsReplayed(setup, first);
    expect(firstCounts.targets.failed ?? 0).toBeGreaterThan(0);
    expect(setup.simulator.faults.pendingScripted).toBe(0);

    expect(first.targets).toEqual(firstCounts.targets);
    expect(first.api.retries).toBe(0);

    const second = await run(setup, 3);
    const secondCounts = await expectEndAsReplayed(setup, second);
    expect(secondCounts.requests.completed).toBe(2 * PEOPLE);
    // the re-run's own targets: the failed ones sent again (and those the open circuit kept from being sent), none failed
    expect(second.targets.failed ?? 0).toBe(0);
    expect(second.targets.anonymized).toBeGreaterThanOrEqual(firstCounts.targets.failed!);
    // an earlier run's rejected row is still named, though this run skipped it as settled
    expect(second.rejectedRows).toEqual([{ file: setup.input, line: 2 * PEOPLE + 2 }]);
  });

  test('a dry run, then a run on the same ledger', async () => {
    const setup = await setUp();
    const dry = await run(setup, 4, { dryRun: true });
    const dryCounts = await expectEndAsReplayed(setup, dry);
    expect(dryCounts.targets.planned).toBeGreaterThan(0);
    const real = await run(setup, 5);
    await expectEndAsReplayed(setup, real);
  });

  test('a run stopped at once, then resumed', async () => {
    const setup = await setUp({ faults: { latencyMs: 2 } });
    const stop = new AbortController();
    stop.abort('SIGTERM');
    const stopped = await run(setup, 6, {}, stop.signal);
    expect(stopped.outcome).toBe('terminated');
    await expectEndAsReplayed(setup, stopped);
    const resumed = await run(setup, 7);
    await expectEndAsReplayed(setup, resumed);
  });
});
