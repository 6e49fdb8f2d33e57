import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../src/api/apiError.js';
import type { MutationOutcome } from '../../src/api/iadvizeClient.js';
import { TargetRegistry, type Anonymize } from '../../src/anonymize/targetRegistry.js';
import type { TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { openLedgerWriter } from '../../src/ledger/ledgerWriter.js';
import { readLedger } from '../../src/ledger/readLedger.js';
import { emptyTargetLineFields, scanTargetLine } from '../../src/ledger/scanTargetLine.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { makeTempDir, RUN_ID, uuid } from './ledgerFixtures.js';

/**
 * The resume fast path (scanTargetLine) reads target lines by byte templates that must match the
 * key order of TargetRegistry.toEvent. If they drift apart, resume silently falls back to JSON.parse
 * on every line: only a benchmark would notice. So these lines are written by the real registry
 * through the real ledger writer, never by a fixture of ours.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/** A mutation that answers from the table, anonymized for any other id. */
function answers(outcomes: Record<string, MutationOutcome>): Anonymize {
  return async (_kind, id) => outcomes[id] ?? { status: 'anonymized', attempts: 1 };
}

/** Every kind of target line a run writes: planned, each outcome, an error, several requests, a resume. */
async function writeThroughRegistry(path: string): Promise<void> {
  const first = await openLedgerWriter(path);
  const firstRun = new TargetRegistry(RUN_ID, (event) => first.append(event));
  const send = answers({
    [uuid(3)]: { status: 'already_anonymized', attempts: 2 },
    [uuid(4)]: { status: 'failed', attempts: 6, error: new ApiError('retryable', 'HTTP_502', 502) },
  });
  await firstRun.plan('conversation', uuid(1), 'REQ-1');
  await firstRun.anonymize('conversation', uuid(2), 'REQ-1', send);
  await firstRun.anonymize('conversation', uuid(2), 'REQ-2', send);
  await firstRun.anonymize('visitor', uuid(3), 'REQ-2', send);
  await firstRun.anonymize('visitor', uuid(4), 'REQ-3', send);
  await first.close();

  // a resume: the earlier run's targets come back from the ledger, then are retried or credited again
  const previous = await readLedger(path);
  const second = await openLedgerWriter(path);
  const secondRun = new TargetRegistry('second-run', (event) => second.append(event), previous.targets);
  await secondRun.anonymize('visitor', uuid(4), 'REQ-3', answers({}));
  await secondRun.anonymize('conversation', uuid(2), 'REQ-4', answers({}));
  await secondRun.plan('visitor', uuid(5), 'REQ-4');
  await second.close();
}

function lineBounds(bytes: Buffer): [number, number][] {
  const bounds: [number, number][] = [];
  for (let start = 0; start < bytes.length;) {
    const end = bytes.indexOf(0x0a, start);
    bounds.push([start, end]);
    start = end + 1;
  }
  return bounds;
}

describe("the ledger writer's target lines", () => {
  test('every line the registry writes is taken by the fast path, and reads back as JSON.parse reads it', async () => {
    const path = join(dir, 'ledger.jsonl');
    await writeThroughRegistry(path);
    const bytes = await readFile(path);
    const lines = lineBounds(bytes);
    const events = lines.map(([start, end]) => JSON.parse(bytes.toString('utf8', start, end)) as TargetEvent);

    const fields = emptyTargetLineFields();
    const leftToJsonParse = lines.flatMap(([start, end], index) => (scanTargetLine(bytes, start, end, fields) ? [] : [index + 1]));
    expect(leftToJsonParse).toEqual([]);

    // what the fast path stored is what JSON.parse gives, line by line
    for (const [index, [start, end]] of lines.entries()) {
      const table = new TargetTable();
      expect(table.putLine(bytes, start, end)).toBe(true);
      expect([...table.values()]).toStrictEqual([events[index]]);
    }

    // the lines cover every layout the templates know: both kinds, every status, an error, 1 and 2+ requests
    expect(new Set(events.map((event) => event.kind))).toEqual(new Set(['conversation', 'visitor']));
    expect(new Set(events.map((event) => event.status))).toEqual(new Set(['planned', 'anonymized', 'already_anonymized', 'failed']));
    expect(events.some((event) => event.error !== undefined)).toBe(true);
    expect(new Set(events.map((event) => Math.min(event.requestIds.length, 2)))).toEqual(new Set([1, 2]));
    expect(new Set(events.map((event) => event.runId))).toEqual(new Set([RUN_ID, 'second-run']));
  });
});
