import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendProcessed, readProcessedIndex, releaseContent, reserveContent } from '../../src/watch/processedIndex.js';

/** The content reservations and the index, on a real temporary state/ folder. */
let state: string;
beforeEach(async () => {
  state = await mkdtemp(join(tmpdir(), 'iadvize-erasure-state-'));
});
afterEach(async () => rm(state, { recursive: true, force: true }));

const SHA = 'a'.repeat(64);
const first = { file: 'a.csv', claimedAs: '20260301T120000000Z-10-a.csv' };
const second = { file: 'copy.csv', claimedAs: '20260301T120000001Z-11-copy.csv' };

describe('reserveContent', () => {
  test('the first claim gets it; another claim learns who holds it', async () => {
    expect(await reserveContent(state, SHA, first)).toEqual({ reserved: true });
    expect(await reserveContent(state, SHA, second)).toEqual({ reserved: false, heldBy: first });
    // no draft left behind
    expect(await readdir(join(state, 'sha256'))).toEqual([SHA]);
  });

  test('a reservation written by an older version (the file name alone) still names its file', async () => {
    await mkdir(join(state, 'sha256'));
    await writeFile(join(state, 'sha256', SHA), 'old.csv', 'utf8');
    expect(await reserveContent(state, SHA, first)).toEqual({ reserved: false, heldBy: { file: 'old.csv' } });
  });
});

describe('releaseContent', () => {
  test("frees this claim's reservation", async () => {
    await reserveContent(state, SHA, first);
    await releaseContent(state, SHA, first);
    expect(await reserveContent(state, SHA, second)).toEqual({ reserved: true });
  });

  test("leaves another claim's reservation alone (a recovery finishing an old claim after a copy reserved it)", async () => {
    await reserveContent(state, SHA, second);
    await releaseContent(state, SHA, first);
    expect(await reserveContent(state, SHA, first)).toEqual({ reserved: false, heldBy: second });
  });

  test('nothing reserved: nothing to do', async () => {
    await expect(releaseContent(state, SHA, first)).resolves.toBeUndefined();
  });
});

describe('appendProcessed', () => {
  test('appends whole lines that read back, claimedAs included', async () => {
    const entry = { sha256: SHA, file: 'a.csv', finishedAt: '2026-03-01T12:00:00.000Z', outcome: 'done' as const, claimedAs: first.claimedAs };
    await appendProcessed(state, entry);
    await appendProcessed(state, { ...entry, file: 'b.csv', outcome: 'failed' });
    expect(await readProcessedIndex(state)).toEqual([entry, { ...entry, file: 'b.csv', outcome: 'failed' }]);
    expect((await readFile(join(state, 'processed.jsonl'), 'utf8')).split('\n')).toHaveLength(3);
  });
});
