import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { summaryOfPlan } from '../../../src/commands/summary/planSummary.js';
import { summaryOfRun } from '../../../src/commands/summary/runSummary.js';
import { summaryOfReport } from '../../../src/commands/summary/reportSummary.js';
import { summaryOfVerify } from '../../../src/commands/summary/verifySummary.js';
import { summaryOfWatch, summaryOfWatchedFile, WatchTotals } from '../../../src/commands/summary/watchSummary.js';
import type { RunResult } from '../../../src/run/runErasure.js';

const DESIGN = readFileSync(new URL('../../../docs/design.md', import.meta.url), 'utf8');

/** The keys the table of docs/design.md#end-summary names in its first column. */
function documentedKeys(): string[] {
  const section = DESIGN.slice(DESIGN.indexOf('### End summary'), DESIGN.indexOf('## Exit codes'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`(\w+)`/g)].map((match) => match[1]!))
    .sort();
}

const RESULT: RunResult = {
  runId: 'r',
  inputs: [],
  outcome: 'ok',
  exitCode: 0,
  requests: {},
  ledger: { requests: {}, targets: {} },
  targets: {},
  rejectedRows: [],
  api: { calls: 0, retries: 0, rateLimited: 0 },
  durationMs: 0,
};

describe('docs/design.md#end-summary', () => {
  test('its table names every key a summary object can have, and no other', () => {
    const run = summaryOfRun({ command: 'run', result: RESULT, ledgerPath: 'l', reportPath: 'r', again: 'x' });
    const plan = summaryOfPlan({ result: RESULT, planPath: 'p', reportPath: 'r', again: 'x' });
    const verify = summaryOfVerify({
      summary: {
        outcome: 'ok',
        results: { clean: 0, remaining: 0, not_checked: 0, failed: 0 },
        skipped: {},
        reopened: 0,
        readBack: { profilesEmpty: 0, conversationsEmpty: 0, remaining: 0, notRead: 0 },
        inputs: [],
        api: RESULT.api,
        durationMs: 0,
      },
      exitCode: 0,
      ledgerPath: 'l',
      reportPath: 'v',
      readBackReportPath: 'b',
      again: 'x',
    });
    const file = summaryOfWatchedFile({
      ended: { file: 'a', claimedAs: 'c-a', outcome: 'interrupted', folder: 'p', inputDeleted: false },
      exitCode: 130,
      api: RESULT.api,
      runMs: 0,
      rejectedLines: [],
      inbox: 'i',
    });
    const watch = summaryOfWatch({ totals: new WatchTotals(), outcome: 'ok', exitCode: 0, durationMs: 0, folder: 'd', again: 'x' });

    const report = summaryOfReport({
      report: {
        generatedAt: '',
        ledger: { path: 'l', sha256: '', events: 0, corruptLines: 0 },
        runs: [],
        totals: { requests: {}, targets: {}, held: 0, kept: 0, overdue: 0, dueSoon: 0, needingAPerson: 0 },
        requests: [],
      },
      ledgerPath: 'l',
      htmlPath: 'e.html',
      durationMs: 0,
    });
    const keys = new Set([run, plan, verify, file, watch, report].flatMap((summary) => Object.keys(summary)));
    expect(documentedKeys()).toEqual([...keys].sort());
  });
});
