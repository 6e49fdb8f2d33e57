import { describe, expect, test } from '@jest/globals';
import { summaryOfWatch, summaryOfWatchedFile, WatchTotals } from '../../../src/commands/summary/watchSummary.js';
import { renderSummaryText, renderWatchedFileLine } from '../../../src/commands/summary/renderSummaryText.js';
import type { EndedFile } from '../../../src/watch/endedFile.js';
import type { FileSummary } from '../../../src/watch/fileSummary.js';

const NO_CALLS = { calls: 0, retries: 0, rateLimited: 0 };

function ended(file: string, summary: Partial<FileSummary> | undefined, folder = 'drop/done'): EndedFile {
  const claimedAs = `20261202T100000000Z-1-${file}`;
  return {
    file,
    claimedAs,
    outcome: summary === undefined ? 'interrupted' : summary.outcome === 'failed' ? 'failed_targets' : 'ok',
    folder,
    inputDeleted: false,
    ...(summary !== undefined
      ? {
          summary: {
            file,
            claimedAs,
            sha256: 'b'.repeat(64),
            outcome: 'done',
            exitCode: 0,
            startedAt: '2026-12-02T10:00:00.000Z',
            finishedAt: '2026-12-02T10:00:01.500Z',
            requests: {},
            targets: {},
            ...summary,
          },
        }
      : {}),
  };
}

const fileSummary = (file: EndedFile, exitCode = 0, rejectedLines: number[] = []) =>
  summaryOfWatchedFile({ ended: file, exitCode, api: { calls: 7, retries: 1, rateLimited: 0 }, runMs: 900, rejectedLines, inbox: 'drop/inbox' });

describe('summaryOfWatchedFile', () => {
  test('a done file: its counts, where its files are, and to verify it', () => {
    const summary = fileSummary(ended('a.csv', { requests: { completed: 1 }, targets: { anonymized: 2 } }));

    expect(summary).toMatchObject({
      type: 'file',
      command: 'watch',
      durationMs: 1500,
      requests: { completed: 1, failed: 0 },
      targets: { anonymized: 2, failed: 0 },
      api: { calls: 7, retries: 1, rateLimited: 0 },
      files: {
        input: 'drop/done/20261202T100000000Z-1-a.csv',
        ledger: 'drop/done/20261202T100000000Z-1-a.csv.ledger.jsonl',
        report: 'drop/done/20261202T100000000Z-1-a.csv.report.csv',
        summary: 'drop/done/20261202T100000000Z-1-a.csv.summary.json',
      },
      file: { name: 'a.csv', claimedAs: '20261202T100000000Z-1-a.csv', result: 'done', duplicateOf: null, error: null },
      next: [{ reason: 'a.csv: verify it', command: 'iadvize-erasure verify --ledger drop/done/20261202T100000000Z-1-a.csv.ledger.jsonl' }],
    });
    expect(renderWatchedFileLine(summary)).toBe(
      'done         a.csv: requests 1 completed; targets 2 anonymized; 1.5 s; ledger drop/done/20261202T100000000Z-1-a.csv.ledger.jsonl\n',
    );
  });

  test('a failed file: put it back into inbox/; rejected rows by line; held requests to review', () => {
    const summary = fileSummary(
      ended('b.csv', { outcome: 'failed', exitCode: 3, requests: { failed: 1, rejected: 1, needs_review: 1 }, targets: { failed: 2 } }, 'drop/failed'),
      3,
      [4],
    );

    expect(summary.next).toEqual([
      { reason: 'b.csv failed: put it back into inbox/ to retry', command: 'mv drop/failed/20261202T100000000Z-1-b.csv drop/inbox/b.csv' },
      { reason: 'b.csv: 1 request rejected: fix line 4 of b.csv, then drop it again', command: null },
      { reason: 'b.csv: 1 request needs a decision', command: 'iadvize-erasure review drop/failed/20261202T100000000Z-1-b.csv.ledger.jsonl' },
    ]);
  });

  test('a duplicate has no ledger or report; an interrupted file has no summary and stays in processing/', () => {
    const duplicate = fileSummary(ended('c.csv', { outcome: 'duplicate', duplicateOf: 'a.csv' }));
    expect(duplicate.files).toEqual({ input: 'drop/done/20261202T100000000Z-1-c.csv', summary: 'drop/done/20261202T100000000Z-1-c.csv.summary.json' });
    expect(renderWatchedFileLine(duplicate)).toMatch(/^duplicate {4}c\.csv: duplicate of a\.csv, not processed again; /);

    const interrupted = fileSummary(ended('d.csv', undefined, 'drop/processing'), 130);
    expect(interrupted).toMatchObject({ outcome: 'interrupted', exitCode: 130, durationMs: 900, file: { result: 'interrupted' } });
    expect(interrupted.files.summary).toBeUndefined();
    expect(interrupted.files.ledger).toBe('drop/processing/20261202T100000000Z-1-d.csv.ledger.jsonl');
  });
});

describe('WatchTotals and summaryOfWatch', () => {
  test('adds up the files, and puts failed files first in the next steps however late they came', () => {
    const totals = new WatchTotals();
    totals.add(fileSummary(ended('a.csv', { requests: { completed: 1 }, targets: { anonymized: 2 }, held: { conversations: 1, visitors: 0 } })));
    totals.add(fileSummary(ended('b.csv', { outcome: 'failed', exitCode: 3, requests: { failed: 1 }, targets: { failed: 1 } }, 'drop/failed'), 3));
    totals.add(fileSummary(ended('c.csv', { outcome: 'duplicate', duplicateOf: 'a.csv' })));

    const summary = summaryOfWatch({
      totals,
      outcome: 'failed_targets',
      exitCode: 3,
      durationMs: 5000,
      folder: 'drop',
      again: 'iadvize-erasure watch drop --once',
    });

    expect(summary).toMatchObject({
      type: 'summary',
      command: 'watch',
      exitCode: 3,
      requests: { completed: 1, failed: 1 },
      targets: { anonymized: 2, failed: 1 },
      held: { conversations: 1, visitors: 0 },
      api: { calls: 21, retries: 3, rateLimited: 0 },
      files: { folder: 'drop' },
      watch: { files: { done: 1, failed: 1, duplicate: 1, interrupted: 0 } },
    });
    expect(summary.next.map((step) => step.reason)).toEqual(['b.csv failed: put it back into inbox/ to retry', 'a.csv: verify it']);
    expect(renderSummaryText(summary)).toContain('\n  Files        1 done, 1 failed, 1 duplicate\n');
  });

  test('keeps ten next steps at most, failed ones before the rest, and counts those left out', () => {
    const totals = new WatchTotals();
    for (let index = 0; index < 12; index += 1) totals.add(fileSummary(ended(`ok-${index}.csv`, { requests: { completed: 1 } })));
    totals.add(fileSummary(ended('late.csv', { outcome: 'failed', exitCode: 3, requests: { failed: 1 } }, 'drop/failed'), 3));

    const next = totals.nextSteps();

    expect(next).toHaveLength(11);
    expect(next[0]?.reason).toBe('late.csv failed: put it back into inbox/ to retry');
    expect(next.at(-1)).toEqual({ reason: "and 3 more: each file's line says its own", command: null });
  });

  test('stopped by a signal: run the same command again first', () => {
    const summary = summaryOfWatch({
      totals: new WatchTotals(),
      outcome: 'terminated',
      exitCode: 143,
      durationMs: 1,
      folder: 'drop',
      again: 'iadvize-erasure watch drop',
    });
    expect(summary.next[0]).toEqual({
      reason: 'stopped: run the same command again; a file left in processing/ is resumed from its ledger',
      command: 'iadvize-erasure watch drop',
    });
    expect(summary.api).toEqual(NO_CALLS);
  });
});
