import { describe, expect, test } from '@jest/globals';
import { summaryOfRun } from '../../../src/commands/summary/runSummary.js';
import { summaryOfPlan } from '../../../src/commands/summary/planSummary.js';
import { renderSummaryText } from '../../../src/commands/summary/renderSummaryText.js';
import type { RunResult } from '../../../src/run/runErasure.js';

const AGAIN = 'iadvize-erasure run requests.csv';

function resultOf(overrides: Partial<RunResult>): RunResult {
  return {
    runId: '00000000-0000-4000-8000-000000000000',
    inputs: [{ file: 'requests.csv', sha256: 'a'.repeat(64) }],
    outcome: 'ok',
    exitCode: 0,
    requests: { completed: 5 },
    ledger: { requests: { completed: 5 }, targets: { anonymized: 12 } },
    targets: { anonymized: 12 },
    rejectedRows: [],
    api: { calls: 40, retries: 2, rateLimited: 1 },
    durationMs: 3200,
    ...overrides,
  };
}

const runSummary = (overrides: Partial<RunResult>) =>
  summaryOfRun({ command: 'run', result: resultOf(overrides), ledgerPath: 'erasure.ledger.jsonl', reportPath: 'erasure.report.csv', again: AGAIN });

describe('summaryOfRun', () => {
  test('a completed run: every status counted, zeros included, and the next step is to verify it', () => {
    const summary = runSummary({});

    expect(summary).toEqual({
      summaryVersion: 1,
      type: 'summary',
      command: 'run',
      outcome: 'ok',
      exitCode: 0,
      durationMs: 3200,
      requests: { completed: 5, no_match: 0, needs_review: 0, rejected: 0, failed: 0, planned: 0 },
      targets: { anonymized: 12, already_anonymized: 0, failed: 0, planned: 0 },
      held: { conversations: 0, visitors: 0 },
      api: { calls: 40, retries: 2, rateLimited: 1 },
      files: { ledger: 'erasure.ledger.jsonl', report: 'erasure.report.csv' },
      next: [{ reason: 'verify it: nothing erased should be found any more', command: 'iadvize-erasure verify --ledger erasure.ledger.jsonl' }],
      stoppedBecause: null,
    });
  });

  test('failed targets come first, with the same command line; rejected rows by line; held requests to review; no verify while targets failed', () => {
    const summary = runSummary({
      outcome: 'failed_targets',
      exitCode: 3,
      requests: { completed: 2, failed: 1, rejected: 1, needs_review: 2 },
      targets: { anonymized: 4, failed: 3 },
      rejectedRows: [{ file: 'requests.csv', line: 4 }],
      held: { conversations: 3, visitors: 2 },
    });

    expect(summary.next).toEqual([
      { reason: '3 targets failed: run the same command again', command: AGAIN },
      { reason: '1 request rejected: fix line 4 of requests.csv, then run again', command: AGAIN },
      {
        reason: '2 requests need a decision: review (the page saves the decisions and applies them)',
        command: 'iadvize-erasure review erasure.ledger.jsonl',
      },
    ]);
    expect(summary.held).toEqual({ conversations: 3, visitors: 2 });
  });

  test('a request failed without a failed target (its search): run again, named by requests', () => {
    expect(runSummary({ outcome: 'failed_targets', exitCode: 3, requests: { failed: 2 }, targets: {} }).next[0]).toEqual({
      reason: '2 requests failed: run the same command again',
      command: AGAIN,
    });
  });

  test('stopped by the circuit breaker: says why, and to run again once the API answers', () => {
    const summary = runSummary({ outcome: 'failed_targets', exitCode: 3, stoppedBecause: '18 of the last 20 calls failed', targets: { failed: 1 } });

    expect(summary.stoppedBecause).toBe('18 of the last 20 calls failed');
    expect(summary.next).toEqual([{ reason: 'the API stopped answering: run the same command again once it answers', command: AGAIN }]);
  });

  test('interrupted: only the same command again, which resumes', () => {
    const summary = runSummary({ outcome: 'interrupted', exitCode: 130, requests: { completed: 1, needs_review: 1 } });

    expect(summary.next).toEqual([{ reason: 'interrupted: run the same command again, it resumes from the ledger', command: AGAIN }]);
  });

  test('a dry run: the command line without --dry-run', () => {
    const summary = summaryOfRun({
      command: 'run',
      result: resultOf({ requests: { planned: 2 }, targets: { planned: 5 } }),
      ledgerPath: 'l.jsonl',
      reportPath: 'r.csv',
      again: `${AGAIN} --dry-run`,
      forReal: AGAIN,
    });

    expect(summary.next).toEqual([{ reason: 'a dry run: nothing was erased; run it without --dry-run to erase', command: AGAIN }]);
  });
});

describe('summaryOfPlan', () => {
  const counts = { requests: { planned: 2, needs_review: 1 }, planned: { conversations: 4, visitors: 2 }, held: { conversations: 1, visitors: 1 } };

  test('held requests: review the plan, or apply it (with the ledger the plan was made against)', () => {
    const summary = summaryOfPlan({
      result: resultOf({ outcome: 'needs_person', exitCode: 2, requests: { planned: 2, needs_review: 1 }, targets: { planned: 7 } }),
      counts,
      planPath: 'plan.json',
      reportPath: 'plan.report.csv',
      ledgerPath: 'erasure.ledger.jsonl',
      again: 'iadvize-erasure plan requests.csv',
    });

    expect(summary.plan).toEqual({ planned: { conversations: 4, visitors: 2 }, held: { conversations: 1, visitors: 1 }, written: true });
    expect(summary.files).toEqual({ plan: 'plan.json', report: 'plan.report.csv', ledger: 'erasure.ledger.jsonl' });
    expect(summary.next).toEqual([
      { reason: '1 request holds targets for a decision: review the plan on the local page', command: 'iadvize-erasure review plan.json' },
      { reason: 'or apply it as it is (held targets stay): erase what it lists', command: 'iadvize-erasure apply plan.json --ledger erasure.ledger.jsonl' },
    ]);
  });

  test('cut short: no plan file named, written false, plan again', () => {
    const summary = summaryOfPlan({
      result: resultOf({ outcome: 'terminated', exitCode: 143 }),
      planPath: 'plan.json',
      reportPath: 'plan.report.csv',
      again: 'iadvize-erasure plan requests.csv',
    });

    expect(summary.files.plan).toBeUndefined();
    expect(summary.plan?.written).toBe(false);
    expect(summary.next).toEqual([{ reason: 'interrupted, so no plan was written: plan again', command: 'iadvize-erasure plan requests.csv' }]);
  });
});

describe('renderSummaryText', () => {
  test('a headline, aligned rows without zero counts, and each next step with its command on the line below', () => {
    const text = renderSummaryText(
      runSummary({
        outcome: 'needs_person',
        exitCode: 2,
        requests: { completed: 5, needs_review: 1 },
        targets: { anonymized: 12, already_anonymized: 3 },
        held: { conversations: 3, visitors: 2 },
      }),
    );

    expect(text).toBe(
      [
        'run: done, but some requests need a person (exit 2, 3.2 s)',
        '  Requests     5 completed, 1 needs_review',
        '  Targets      12 anonymized, 3 already_anonymized',
        "  Held         3 conversations and 2 visitors, for a person's decision",
        '  API          40 calls, 2 retries, 1 rate-limited (429)',
        '  Ledger       erasure.ledger.jsonl',
        '  Report       erasure.report.csv',
        'Next:',
        '  - 1 request needs a decision: review (the page saves the decisions and applies them)',
        '      iadvize-erasure review erasure.ledger.jsonl',
        '  - verify it: nothing erased should be found any more',
        '      iadvize-erasure verify --ledger erasure.ledger.jsonl',
        '',
      ].join('\n'),
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  test('nothing left to do is said so; a run with no request says none', () => {
    const text = renderSummaryText(runSummary({ requests: {}, targets: {} }));

    expect(text).toContain('  Requests     none\n');
    expect(text).toContain('  Targets      none\n');
    expect(text).toMatch(/Next: nothing left to do\.\n$/);
  });
});
