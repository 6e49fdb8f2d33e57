import { describe, expect, test } from '@jest/globals';
import { summaryOfVerify } from '../../../src/commands/summary/verifySummary.js';
import { renderSummaryText } from '../../../src/commands/summary/renderSummaryText.js';
import type { VerifySummary } from '../../../src/verify/verifyLedger.js';

const AGAIN = 'iadvize-erasure verify --ledger erasure.ledger.jsonl';

function verifySummaryOf(overrides: Partial<VerifySummary>, exitCode = 0) {
  const summary: VerifySummary = {
    outcome: 'ok',
    results: { clean: 3, remaining: 0, not_checked: 0, failed: 0 },
    skipped: { no_match: 1 },
    reopened: 0,
    readBack: { profilesEmpty: 2, conversationsEmpty: 5, remaining: 0, notRead: 1 },
    inputs: ['requests.csv'],
    api: { calls: 20, retries: 0, rateLimited: 0 },
    durationMs: 800,
    ...overrides,
  };
  return summaryOfVerify({
    summary,
    exitCode,
    ledgerPath: 'erasure.ledger.jsonl',
    reportPath: 'erasure.verify.csv',
    readBackReportPath: 'erasure.verify.readback.csv',
    again: AGAIN,
  });
}

describe('summaryOfVerify', () => {
  test('all clean: requests by result, targets by what was read back, and the evidence report next', () => {
    const summary = verifySummaryOf({});

    expect(summary).toMatchObject({
      command: 'verify',
      outcome: 'ok',
      requests: { clean: 3, remaining: 0, not_checked: 0, failed: 0 },
      targets: { profiles_empty: 2, conversations_empty: 5, remaining: 0, not_read: 1 },
      files: { ledger: 'erasure.ledger.jsonl', verifyReport: 'erasure.verify.csv', readBackReport: 'erasure.verify.readback.csv' },
      verify: { notCompleted: { completed: 0, no_match: 1, needs_review: 0, rejected: 0, failed: 0, planned: 0 }, reopened: 0 },
      next: [
        {
          reason: 'write the evidence report for the data-protection officer',
          command: 'iadvize-erasure report --ledger erasure.ledger.jsonl --verify-report erasure.verify.csv --html evidence.html',
        },
      ],
    });
  });

  test('something remains: reopen with the same command; once reopened, run again over the files it read', () => {
    const remaining = verifySummaryOf({ outcome: 'failed_targets', results: { clean: 2, remaining: 1, not_checked: 0, failed: 0 } }, 3);
    expect(remaining.next).toEqual([
      { reason: '1 request still holds data: reopen, then run again (the verify report says what was found)', command: `${AGAIN} --reopen` },
    ]);

    const reopened = verifySummaryOf({ outcome: 'failed_targets', results: { clean: 2, remaining: 1, not_checked: 0, failed: 0 }, reopened: 1 }, 3);
    expect(reopened.next).toEqual([
      {
        reason: '1 request reopened: run again over the same files with this ledger to erase what remains',
        command: 'iadvize-erasure run requests.csv --ledger erasure.ledger.jsonl',
      },
    ]);
  });

  test('not checked: verify again', () => {
    const summary = verifySummaryOf({ outcome: 'needs_person', results: { clean: 0, remaining: 0, not_checked: 1, failed: 1 } }, 2);
    expect(summary.next).toEqual([{ reason: '2 requests could not be checked: the verify report says why; verify again', command: AGAIN }]);
  });

  test('the text: verified by result, what was not completed, the read-back counts', () => {
    const text = renderSummaryText(verifySummaryOf({}));
    expect(text).toMatch(/^verify: every request checked is clean \(exit 0, 0\.8 s\)\n/);
    expect(text).toContain('\n  Verified     3 clean\n  Not checked  1 no_match (not completed)\n');
    expect(text).toContain('\n  Read back    2 profiles and 5 conversations empty, 0 remaining, 1 not read\n');
  });
});
