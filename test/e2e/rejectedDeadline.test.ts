import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * A rejected request is one a person must fix and send again before its deadline: its report row
 * keeps received_at, the deadline and its flag whenever the file's date could be read.
 */

let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-rejected-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const DAY_MS = 24 * 60 * 60 * 1000;
const path = (name: string) => join(workDir, name);

/** The day `days` before today, at midnight UTC. */
function daysAgo(days: number): Date {
  const day = new Date(Date.now() - days * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
}

/** One calendar month later, as the report counts it (the day clamped to the month's last). */
function monthAfter(date: Date): string {
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 2, 0)).getUTCDate();
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, Math.min(date.getUTCDate(), lastDay))).toISOString();
}

const dayFirst = (date: Date) => `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${date.getUTCFullYear()}`;

// past its deadline; due within 7 days (26 days ago is 1 to 5 days before a month has passed); a date that cannot be read
const OVERDUE = daysAgo(40);
const DUE_SOON = daysAgo(26);

async function writeRequests(): Promise<string> {
  const rows = [
    'request_id,email,received_at',
    `LATE,alice.marchetti@example,${OVERDUE.toISOString().slice(0, 10)}`,
    `SOON,not-an-email,${dayFirst(DUE_SOON)}`,
    'UNREADABLE,not-an-email,31/02/2026',
    'NONE,nobody@example.org,',
  ];
  await writeFile(path('requests.csv'), `${rows.join('\n')}\n`);
  return path('requests.csv');
}

async function reportRows(file: string): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await readFile(file, 'utf8'))
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  const columns = header!.split(',');
  // the reasons hold no comma here
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, index) => [columns[index]!, cell])));
}

function pick(rows: Record<string, string>[], requestId: string) {
  const row = rows.find((candidate) => candidate.request_id === requestId)!;
  return { status: row.status, received_at: row.received_at, deadline: row.deadline, deadline_flag: row.deadline_flag };
}

function expectDeadlinesKept(rows: Record<string, string>[]): void {
  expect(pick(rows, 'LATE')).toEqual({ status: 'rejected', received_at: OVERDUE.toISOString(), deadline: monthAfter(OVERDUE), deadline_flag: 'overdue' });
  expect(pick(rows, 'SOON')).toEqual({ status: 'rejected', received_at: DUE_SOON.toISOString(), deadline: monthAfter(DUE_SOON), deadline_flag: 'due_soon' });
  expect(pick(rows, 'UNREADABLE')).toEqual({ status: 'rejected', received_at: '', deadline: 'unknown', deadline_flag: '' });
}

const cli = (args: string[]) => runCli([...args, '--endpoint', simulator.graphqlUrl], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' });

describe('a rejected request keeps its deadline', () => {
  test('run: the report row says rejected, with received_at, the deadline and its flag', async () => {
    const result = await cli(['run', await writeRequests(), '--ledger', path('erasure.ledger.jsonl'), '--report', path('erasure.report.csv')]);

    expect(result.code).toBe(2);
    expectDeadlinesKept(await reportRows(path('erasure.report.csv')));
  });

  test("plan, and apply of that plan: the plan's report and the run's report both keep them", async () => {
    const planned = await cli(['plan', await writeRequests(), '--out', path('plan.json')]);
    expect(planned.code).toBe(2);
    expectDeadlinesKept(await reportRows(path('plan.report.csv')));

    const applied = await cli(['apply', path('plan.json'), '--ledger', path('erasure.ledger.jsonl'), '--report', path('erasure.report.csv')]);
    expect(applied.code).toBe(2);
    expectDeadlinesKept(await reportRows(path('erasure.report.csv')));
  });
});
