import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerClosedError, LedgerWriteError } from '../../src/ledger/ledgerErrors.js';
import { openLedgerWriter } from '../../src/ledger/ledgerWriter.js';
import { readLedger } from '../../src/ledger/readLedger.js';
import { makeTempDir, requestEvent, targetEvent, uuid } from './ledgerFixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

// /dev/full fails every write with ENOSPC: a deterministic disk-full, even when tests run as root
// /dev/full fails every write with ENOSPC: a deterministic write error on Linux, where this runs.
const withDevFull = test;

describe('openLedgerWriter', () => {
  test('appended events read back, the last event per target and per request winning', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path);
    await writer.append(requestEvent('REQ-1'));
    await writer.append(targetEvent(uuid(1)));
    await writer.append(targetEvent(uuid(1), { status: 'anonymized', attempts: 1 }));
    await writer.append(requestEvent('REQ-1', { status: 'completed', conversations: 1 }));
    await writer.close();

    const state = await readLedger(path);

    expect(state.events).toBe(4);
    expect(state.targets.get('conversation', uuid(1))).toMatchObject({ status: 'anonymized', attempts: 1 });
    expect(state.requests.get('REQ-1')).toMatchObject({ status: 'completed', conversations: 1 });
    expect(state.corruptLines).toEqual([]);
  });

  test('1000 appends started at once land as 1000 whole lines with far fewer fsyncs', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path);

    await Promise.all(Array.from({ length: 1000 }, (_, i) => writer.append(targetEvent(uuid(i), { requestIds: [`REQ-${i}`] }))));
    const flushes = writer.flushes;
    await writer.close();

    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1000);
    const ids = new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id));
    expect(ids.size).toBe(1000);
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThan(100);
  });

  test('appends made while a flush is running share the next flush', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path);

    const first = writer.append(targetEvent(uuid(0)));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 50 }, (_, i) => writer.append(targetEvent(uuid(i + 1))));
    await Promise.all([first, ...rest]);
    await writer.close();

    expect(writer.flushes).toBeLessThanOrEqual(3);
    expect((await readLedger(path)).targets.size).toBe(51);
  });

  test('maxBatchDelayMs gathers appends from later ticks into one flush', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path, { maxBatchDelayMs: 200 });

    const first = writer.append(targetEvent(uuid(1)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = writer.append(targetEvent(uuid(2)));
    await Promise.all([first, second]);
    await writer.close();

    expect(writer.flushes).toBe(1);
  });

  test('close flushes appends that were not awaited', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path);

    const pending = [writer.append(targetEvent(uuid(1))), writer.append(targetEvent(uuid(2)))];
    await writer.close();

    await expect(Promise.all(pending)).resolves.toBeDefined();
    expect((await readLedger(path)).targets.size).toBe(2);
  });

  test('appends after close reject with LedgerClosedError', async () => {
    const writer = await openLedgerWriter(join(dir, 'ledger.jsonl'));
    await writer.close();

    await expect(writer.append(targetEvent(uuid(1)))).rejects.toBeInstanceOf(LedgerClosedError);
  });

  test('an append made in the same tick as close is refused, not lost silently', async () => {
    const path = join(dir, 'ledger.jsonl');
    const writer = await openLedgerWriter(path);

    const closing = writer.close();
    const late = writer.append(targetEvent(uuid(1)));

    await expect(late).rejects.toBeInstanceOf(LedgerClosedError);
    await closing;
    expect((await readLedger(path)).events).toBe(0);
  });

  test('closing twice is harmless', async () => {
    const writer = await openLedgerWriter(join(dir, 'ledger.jsonl'));
    await writer.close();

    await expect(writer.close()).resolves.toBeUndefined();
  });

  withDevFull('a write error rejects the affected appends, every later one, and close', async () => {
    const writer = await openLedgerWriter('/dev/full');

    const batch = [writer.append(targetEvent(uuid(1))), writer.append(targetEvent(uuid(2)))];
    for (const append of batch) await expect(append).rejects.toMatchObject({ name: 'LedgerWriteError', systemCode: 'ENOSPC' });
    await expect(writer.append(targetEvent(uuid(3)))).rejects.toBeInstanceOf(LedgerWriteError);
    await expect(writer.close()).rejects.toBeInstanceOf(LedgerWriteError);
    expect(writer.flushes).toBe(0);
  });

  test('the write error names only the system error code, never an event', async () => {
    const error = new LedgerWriteError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));

    expect(error.message).toBe('writing the ledger failed: ENOSPC');
  });

  withDevFull('a write error names the ledger and the code (ENOSPC on /dev/full)', async () => {
    const writer = await openLedgerWriter('/dev/full');

    await expect(writer.append(targetEvent(uuid(1)))).rejects.toThrow('writing the ledger /dev/full failed: ENOSPC');
    await writer.close().catch(() => undefined);
  });

  test('a ledger that cannot be opened rejects at open', async () => {
    const notADirectory = join(dir, 'file');
    await writeFile(notADirectory, 'x');

    await expect(openLedgerWriter(join(notADirectory, 'ledger.jsonl'))).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
  });

  test('missing parent directories are created', async () => {
    const path = join(dir, 'a', 'b', 'ledger.jsonl');
    const writer = await openLedgerWriter(path);
    await writer.append(requestEvent('REQ-1'));
    await writer.close();

    expect((await readLedger(path)).requests.size).toBe(1);
  });

  test('appends go after the existing events of a reopened ledger', async () => {
    const path = join(dir, 'ledger.jsonl');
    const first = await openLedgerWriter(path);
    await first.append(requestEvent('REQ-1'));
    await first.close();

    const second = await openLedgerWriter(path);
    await second.append(requestEvent('REQ-2'));
    await second.close();

    expect([...(await readLedger(path)).requests.keys()]).toEqual(['REQ-1', 'REQ-2']);
    expect(await readFile(path, 'utf8')).not.toContain('\n\n');
  });

  test('a torn last line: the next event starts on a fresh line and every whole event reads back', async () => {
    const path = join(dir, 'ledger.jsonl');
    const whole = `${JSON.stringify(requestEvent('REQ-1'))}\n${JSON.stringify(targetEvent(uuid(1)))}\n`;
    await writeFile(path, `${whole}{"type":"target","runId":"7f0c`);

    const writer = await openLedgerWriter(path);
    await writer.append(targetEvent(uuid(1), { status: 'anonymized' }));
    await writer.close();

    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines[2]).toBe('{"type":"target","runId":"7f0c');
    expect(JSON.parse(lines[3]!)).toMatchObject({ id: uuid(1), status: 'anonymized' });
    const state = await readLedger(path);
    expect(state.events).toBe(3);
    expect(state.targets.get('conversation', uuid(1))?.status).toBe('anonymized');
    // no longer the last line, so it is reported like any damage in the middle
    expect(state.corruptLines).toEqual([3]);
  });
});
