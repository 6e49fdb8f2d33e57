import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLedger } from '../../src/ledger/readLedger.js';
import { writeReport } from '../../src/ledger/writeReport.js';
import { ensureDropFolder, type DropFolder } from '../../src/watch/dropFolder.js';
import { reportWhereInputIs } from '../../src/watch/reportWhereInputIs.js';
import { makeTempDir, requestEvent } from '../ledger/ledgerFixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let folder: DropFolder;
const CLAIMED = '20260101T000000000Z-1-in.csv';
const FINISHED_MS = Date.parse('2026-01-02T00:00:00.000Z');

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  folder = await ensureDropFolder(dir);
});

afterEach(async () => {
  await cleanup();
});

/** A put-away claim's ledger and the report its run wrote, both naming the input in processing/. */
async function putAwayClaim(destination: string): Promise<{ ledger: string; report: string }> {
  const readAt = join(folder.processing, CLAIMED);
  const events = [
    requestEvent('A', { status: 'completed', source: { file: readAt, line: 2 } }),
    requestEvent('B', { status: 'needs_review', source: { file: readAt, line: 3 } }),
  ];
  const ledger = join(destination, `${CLAIMED}.ledger.jsonl`);
  const report = join(destination, `${CLAIMED}.report.csv`);
  await writeFile(ledger, events.map((event) => `${JSON.stringify(event)}\n`).join(''), 'utf8');
  await writeReport(report, await readLedger(ledger), FINISHED_MS);
  return { ledger, report };
}

describe('reportWhereInputIs', () => {
  test.each(['done', 'failed'] as const)(
    'the report in %s/ names the input there, all else as the run wrote it; the ledger is untouched; again, the same',
    async (where) => {
      const destination = folder[where];
      const { ledger, report } = await putAwayClaim(destination);
      const ledgerBefore = await readFile(ledger, 'utf8');
      const before = await readFile(report, 'utf8');

      await reportWhereInputIs(folder, CLAIMED, destination, FINISHED_MS);
      const once = await readFile(report, 'utf8');
      await reportWhereInputIs(folder, CLAIMED, destination, FINISHED_MS);

      const readAt = join(folder.processing, CLAIMED);
      const now = join(destination, CLAIMED);
      expect(before).toContain(`${readAt}:2`);
      expect(once).toBe(before.replaceAll(`${readAt}:`, `${now}:`));
      expect(once).toContain(`${now}:3`);
      expect(await readFile(report, 'utf8')).toBe(once);
      expect(await readFile(ledger, 'utf8')).toBe(ledgerBefore);
    },
  );

  test('a claim without a report (a duplicate) gets none', async () => {
    await reportWhereInputIs(folder, CLAIMED, folder.done, FINISHED_MS);

    await expect(readFile(join(folder.done, `${CLAIMED}.report.csv`))).rejects.toThrow('ENOENT');
  });
});
