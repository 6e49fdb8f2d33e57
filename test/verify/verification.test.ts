import { describe, expect, test } from '@jest/globals';
import { exitCodeOf } from '../../src/commands/exitCodes.js';
import { outcomeOfVerification, type RequestVerification, type VerifyResult } from '../../src/verify/verification.js';
import { formatFoundIds, MAX_IDS_SHOWN, verifyReportLines } from '../../src/verify/writeVerifyReport.js';
import { uuid } from '../ledger/ledgerFixtures.js';

/** The exit code verify ends with for these counts. */
const exitCodeForVerification = (results: Record<VerifyResult, number>) => exitCodeOf(outcomeOfVerification(results));
const counts = (changes: Partial<Record<VerifyResult, number>>) => ({ clean: 0, remaining: 0, not_checked: 0, failed: 0, ...changes });

describe('exitCodeForVerification', () => {
  test.each([
    [counts({ clean: 3 }), 0],
    [counts({}), 0],
    [counts({ clean: 1, not_checked: 1 }), 2],
    [counts({ clean: 1, failed: 1 }), 2],
    [counts({ remaining: 1 }), 3],
    [counts({ remaining: 1, not_checked: 2, failed: 1 }), 3],
  ])('%o → %i', (results, exitCode) => {
    expect(exitCodeForVerification(results)).toBe(exitCode);
  });
});

describe('the verification report', () => {
  const row = (changes: Partial<RequestVerification>): RequestVerification => ({
    requestId: 'R1',
    source: { file: 'in.csv', line: 2 },
    result: 'clean',
    conversationIds: [],
    visitorIds: [],
    ...changes,
  });

  test('found ids: conversations then visitors, capped, with how many more', () => {
    expect(formatFoundIds(row({ conversationIds: [uuid(1)], visitorIds: [uuid(2)] }))).toBe(`conversation:${uuid(1)} visitor:${uuid(2)}`);
    const many = formatFoundIds(row({ conversationIds: Array.from({ length: MAX_IDS_SHOWN + 3 }, (_, n) => uuid(n)) }));
    expect(many.split(' ').filter((part) => part.startsWith('conversation:'))).toHaveLength(MAX_IDS_SHOWN);
    expect(many.endsWith(' (+3 more)')).toBe(true);
  });

  test('rows follow the input files, and a cell a spreadsheet would run is defused', () => {
    const lines = verifyReportLines([
      row({ requestId: 'late', source: { file: 'b.csv', line: 2 } }),
      row({ requestId: '=HYPERLINK("x")', source: { file: 'a.csv', line: 9 }, result: 'failed', reason: 'check failed: HTTP_502' }),
      row({ requestId: 'early', source: { file: 'a.csv', line: 3 }, result: 'remaining', visitorIds: [uuid(7)] }),
    ]);

    expect(lines).toEqual([
      `early,remaining,0,1,visitor:${uuid(7)},\r\n`,
      `"'=HYPERLINK(""x"")",failed,0,0,,check failed: HTTP_502\r\n`,
      'late,clean,0,0,,\r\n',
    ]);
  });
});
