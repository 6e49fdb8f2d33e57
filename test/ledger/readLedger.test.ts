import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { type LedgerEvent, type RunEvent, type SummaryEvent } from '../../src/ledger/ledgerEvents.js';
import { readLedger } from '../../src/ledger/readLedger.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { makeTempDir, requestEvent, RUN_ID, targetEvent, uuid } from './ledgerFixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const runEvent: RunEvent = { type: 'run', runId: RUN_ID, startedAt: '2025-01-01T00:00:00.000Z', version: '0.1.0', inputs: [], options: {} };
const summaryEvent: SummaryEvent = {
  type: 'summary',
  runId: RUN_ID,
  finishedAt: '2025-01-01T00:01:00.000Z',
  requests: { completed: 1 },
  targets: {},
  exitCode: 0,
};

function jsonl(...lines: (LedgerEvent | string)[]): string {
  return lines.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join('');
}

async function ledgerWith(text: string): Promise<string> {
  const path = join(dir, 'ledger.jsonl');
  await writeFile(path, text);
  return path;
}

describe('readLedger', () => {
  test('a missing ledger is an empty state', async () => {
    await expect(readLedger(join(dir, 'absent.jsonl'))).resolves.toEqual({
      runs: [],
      targets: new TargetTable(),
      requests: new Map(),
      summaries: [],
      corruptLines: [],
      events: 0,
      personDigests: new Map(),
    });
  });

  test('an empty file is an empty state', async () => {
    const state = await readLedger(await ledgerWith(''));

    expect(state.events).toBe(0);
    expect(state.corruptLines).toEqual([]);
  });

  test('resolution events, as the writer lays them out or otherwise, are counted and passed over, and never taken for damage', async () => {
    const resolution = {
      type: 'resolution' as const,
      runId: RUN_ID,
      requestId: 'R1',
      targets: [{ kind: 'visitor' as const, id: uuid(1), evidence: [{ kind: 'profile_match' as const, matched: ['email#1'] }] }],
    };
    const reordered = JSON.stringify({ requestId: 'R2', type: 'resolution', runId: RUN_ID, targets: [] });
    const path = await ledgerWith(jsonl(runEvent, resolution, reordered, requestEvent('R1'), summaryEvent));

    const state = await readLedger(path);

    expect(state.events).toBe(5);
    expect(state.corruptLines).toEqual([]);
    expect([...state.requests.keys()]).toEqual(['R1']);
    expect(state.targets.size).toBe(0);
  });

  test('the last event wins per target key and per request id; runs and summaries are all kept', async () => {
    const path = await ledgerWith(
      jsonl(
        runEvent,
        requestEvent('REQ-1'),
        targetEvent(uuid(1)),
        targetEvent(uuid(1), { kind: 'visitor' }),
        targetEvent(uuid(1), { status: 'failed', attempts: 3, error: { name: 'RateLimited' } }),
        targetEvent(uuid(1), { status: 'anonymized', attempts: 1 }),
        requestEvent('REQ-1', { status: 'completed' }),
        summaryEvent,
        runEvent,
      ),
    );

    const state = await readLedger(path);

    expect(state.events).toBe(9);
    expect(state.runs).toHaveLength(2);
    expect(state.summaries).toEqual([summaryEvent]);
    expect(state.targets.size).toBe(2);
    expect(state.targets.get('conversation', uuid(1))).toMatchObject({ status: 'anonymized', attempts: 1 });
    expect(state.targets.get('visitor', uuid(1))?.status).toBe('planned');
    expect(state.requests.get('REQ-1')?.status).toBe('completed');
  });

  test('a torn last line is ignored and not counted', async () => {
    const path = await ledgerWith(`${jsonl(requestEvent('REQ-1'))}{"type":"request","runId":"7f0c2a9e`);

    const state = await readLedger(path);

    expect(state.events).toBe(1);
    expect(state.corruptLines).toEqual([]);
  });

  test('a torn last line followed only by blank lines is still the torn last line', async () => {
    const path = await ledgerWith(`${jsonl(requestEvent('REQ-1'))}{"type":"req\n\n`);

    expect((await readLedger(path)).corruptLines).toEqual([]);
  });

  test('a corrupt line in the middle is counted with its line number and skipped', async () => {
    const path = await ledgerWith(jsonl(requestEvent('REQ-1'), '{"type":"target","id":', requestEvent('REQ-2')));

    const state = await readLedger(path);

    expect(state.corruptLines).toEqual([2]);
    expect([...state.requests.keys()]).toEqual(['REQ-1', 'REQ-2']);
    expect(state.events).toBe(2);
  });

  test('a line that parses but has no type, or is not an object, is corrupt', async () => {
    const path = await ledgerWith(jsonl('{"runId":"x"}', '42', 'null', '["target"]', '{"type":"target","kind":"visitor"}', requestEvent('REQ-1')));

    expect((await readLedger(path)).corruptLines).toEqual([1, 2, 3, 4, 5]);
  });

  test('an event type from a later version is read past, not counted as corrupt', async () => {
    const path = await ledgerWith(jsonl('{"type":"checkpoint","runId":"x"}', requestEvent('REQ-1')));

    const state = await readLedger(path);

    expect(state.corruptLines).toEqual([]);
    expect(state.requests.size).toBe(1);
  });

  test('keeps the first 20 corrupt line numbers and still reads every good line', async () => {
    const lines = Array.from({ length: 30 }, () => 'garbage');
    const path = await ledgerWith(jsonl(...lines, requestEvent('REQ-1')));

    const state = await readLedger(path);

    expect(state.corruptLines).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(state.requests.size).toBe(1);
  });

  test('CRLF endings, blank lines and a leading BOM are read, and line numbers count blank lines', async () => {
    const path = await ledgerWith(`\uFEFF${JSON.stringify(requestEvent('REQ-1'))}\r\n\r\n\nbad\r\n${JSON.stringify(requestEvent('REQ-2'))}\r\n`);

    const state = await readLedger(path);

    expect(state.requests.size).toBe(2);
    expect(state.corruptLines).toEqual([4]);
  });

  test('a target line in another layout (spaces, key order, escapes, upper-case id) reads as JSON.parse reads it', async () => {
    const written = targetEvent(uuid(1), { status: 'failed', attempts: 2, error: { name: 'TIMEOUT' } });
    const upper = targetEvent('ABCDEF00-0000-4000-8000-000000000001', { kind: 'visitor' });
    const path = await ledgerWith(
      [
        JSON.stringify(written),
        JSON.stringify(written, null, 1).replaceAll('\n', ''),
        '{"id":"00000000-0000-4000-8000-000000000002","kind":"conversation","type":"target","runId":"r","status":"planned","requestIds":["REQ\\u002d2"],"attempts":0}',
        JSON.stringify(upper),
        `${JSON.stringify(targetEvent(uuid(3), { status: 'anonymized' }))}\r`,
      ].join('\n'),
    );

    const state = await readLedger(path);

    expect(state.events).toBe(5);
    expect(state.corruptLines).toEqual([]);
    expect([...state.targets.values()]).toStrictEqual([
      written,
      { type: 'target', runId: 'r', kind: 'conversation', id: uuid(2), status: 'planned', requestIds: ['REQ-2'], attempts: 0 },
      targetEvent(uuid(3), { status: 'anonymized' }),
      upper,
    ]);
  });

  test('a last line without a newline that is whole is an event', async () => {
    const path = await ledgerWith(JSON.stringify(requestEvent('REQ-1')));

    expect((await readLedger(path)).requests.size).toBe(1);
  });

  test('a line longer than a read chunk, with multi-byte characters across the boundary, reads whole', async () => {
    const note = 'é'.repeat(3 << 20);
    // pad so that byte 1 MiB (the end of the first read chunk) falls inside a two-byte "é"
    const lineWithPad = (pad: string) => JSON.stringify({ ...runEvent, options: { pad, note } });
    const pad = Buffer.from(lineWithPad('x'))[1 << 20] === 0xa9 ? 'x' : 'xx';
    expect(Buffer.from(lineWithPad(pad))[1 << 20]).toBe(0xa9);
    const options = { pad, note };
    const path = await ledgerWith(jsonl({ ...runEvent, options }, requestEvent('REQ-1')));

    const state = await readLedger(path);

    expect(state.runs[0]?.options).toEqual(options);
    expect(state.requests.size).toBe(1);
    expect(state.corruptLines).toEqual([]);
  });

  test('reads a generated ledger of 200 000 events into maps of the right sizes', async () => {
    const path = join(dir, 'big.jsonl');
    const out = createWriteStream(path);
    const requests = 20_000;
    const targetsPerRequest = 4;
    // per request: planned, 4 targets planned then anonymized, completed = 10 events
    for (let r = 0; r < requests; r += 1) {
      const requestId = `REQ-${r}`;
      const source = { file: 'requests.csv', line: r + 2 };
      let chunk = JSON.stringify(requestEvent(requestId, { source })) + '\n';
      for (const status of ['planned', 'anonymized'] as const) {
        for (let t = 0; t < targetsPerRequest; t += 1) {
          chunk += JSON.stringify(targetEvent(uuid(r * targetsPerRequest + t), { status, requestIds: [requestId] })) + '\n';
        }
      }
      chunk += JSON.stringify(requestEvent(requestId, { source, status: 'completed' })) + '\n';
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);

    const state = await readLedger(path);

    expect(state.events).toBe(200_000);
    expect(state.targets.size).toBe(80_000);
    expect(state.requests.size).toBe(20_000);
    expect(state.corruptLines).toEqual([]);
    expect([...state.targets.values()].every((target) => target.status === 'anonymized')).toBe(true);
    expect(state.requests.get('REQ-19999')?.status).toBe('completed');
  });
});
