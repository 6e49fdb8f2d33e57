import { describe, expect, test } from '@jest/globals';
import type { RequestEvent, RunEvent, SummaryEvent, TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import { evidenceSummary, type EvidenceInput } from '../../src/report/evidenceSummary.js';
import type { ReadBackRow, VerifyRow } from '../../src/report/readVerifyReports.js';
import { countResolution, type ResolutionCounts } from '../../src/report/resolutionCounts.js';
import { requestEvent, RUN_ID, targetEvent, uuid } from '../ledger/ledgerFixtures.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const RUN: RunEvent = {
  type: 'run',
  runId: RUN_ID,
  startedAt: '2026-11-02T08:00:00.000Z',
  version: '0.1.0',
  inputs: [],
  options: {},
  approved: ['R-DONE'],
  approvedBy: 'Bo Approver',
};
const SUMMARY: SummaryEvent = { type: 'summary', runId: RUN_ID, finishedAt: '2026-11-02T08:05:00.000Z', requests: {}, targets: {}, exitCode: 2 };

function inputOf(
  requests: RequestEvent[],
  targets: TargetEvent[],
  resolutions: Record<string, ResolutionCounts> = {},
  reports: Pick<EvidenceInput, 'verifyReport' | 'readBackReport'> = {},
): EvidenceInput {
  const state = emptyLedgerState();
  state.runs.push(RUN);
  state.summaries.push(SUMMARY);
  for (const request of requests) state.requests.set(request.requestId, request);
  for (const target of targets) state.targets.put(target);
  state.events = requests.length + targets.length + 2;
  return {
    ledger: { path: 'erasure.ledger.jsonl', sha256: 'ab'.repeat(32) },
    state,
    resolutions: new Map(Object.entries(resolutions)),
    nowMs: NOW,
    ...reports,
  };
}

const CLEAN: VerifyRow = { result: 'clean', conversationsFound: 0, visitorsFound: 0, reason: '' };
const EMPTY_READ_BACK: ReadBackRow = { profilesEmpty: 1, conversationsEmpty: 2, notRead: 0, profilesRemaining: 0, conversationsRemaining: 0 };

describe('evidenceSummary', () => {
  test('most urgent first: those a person must act on, then due within 7 days, then the rest; each by deadline, undated last', () => {
    const report = evidenceSummary(
      inputOf(
        [
          requestEvent('R-DONE', { status: 'completed', receivedAt: '2026-10-20T00:00:00.000Z', source: { file: 'a.csv', line: 2 } }),
          requestEvent('R-REJ', { status: 'rejected', reason: 'email: not a valid e-mail', source: { file: 'a.csv', line: 3 } }),
          requestEvent('R-HELD', { status: 'needs_review', receivedAt: '2026-11-10T00:00:00.000Z', source: { file: 'a.csv', line: 4 } }),
          requestEvent('R-SOON', { status: 'planned', receivedAt: '2026-10-28T00:00:00.000Z', source: { file: 'a.csv', line: 5 } }),
          requestEvent('R-OLD', { status: 'no_match', receivedAt: '2026-09-01T00:00:00.000Z', source: { file: 'a.csv', line: 6 } }),
          requestEvent('R-LATE', { status: 'failed', receivedAt: '2026-10-01T00:00:00.000Z', source: { file: 'a.csv', line: 7 } }),
          requestEvent('R-STILL', { status: 'completed', receivedAt: '2026-11-01T00:00:00.000Z', source: { file: 'a.csv', line: 8 } }),
        ],
        [],
        {},
        { verifyReport: { path: 'v.csv', rows: new Map([['R-STILL', { ...CLEAN, result: 'remaining', conversationsFound: 1 }]]) } },
      ),
    );

    expect(report.requests.map((request) => [request.requestId, request.concerns])).toEqual([
      ['R-LATE', ['failed', 'overdue']],
      ['R-STILL', ['verify_remaining']],
      ['R-HELD', ['needs_review']],
      ['R-REJ', ['rejected']],
      ['R-SOON', []],
      ['R-OLD', []],
      ['R-DONE', []],
    ]);
    expect(report.requests.find((request) => request.requestId === 'R-SOON')).toMatchObject({ deadline: '2026-11-28T00:00:00.000Z', deadlineFlag: 'due_soon' });
    expect(report.totals).toMatchObject({ overdue: 1, dueSoon: 1, needingAPerson: 4, verify: { remaining: 1 } });
  });

  test("per request: the report row's counts, the resolution's, what is held or kept and who decided, and verify's rows found by id", () => {
    const resolution = countResolution(
      {
        type: 'resolution',
        runId: RUN_ID,
        requestId: '@T-9',
        decidedBy: 'Someone Else',
        targets: [
          {
            kind: 'visitor',
            id: uuid(3),
            evidence: [],
            held: { reason: 'conflicting_profile' },
            decision: { decision: 'keep', decidedBy: 'Ana', reason: 'namesake' },
          },
        ],
      },
      () => undefined,
    );
    const report = evidenceSummary(
      inputOf(
        [
          requestEvent('R-DONE', { status: 'completed', conversations: 1, visitors: 1, approved: true }),
          requestEvent('@T-9', {
            status: 'completed',
            visitors: 1,
            decidedBy: 'Ana',
            decidedAt: '2026-11-21T09:00:00.000Z',
            kept: { conversations: 0, visitors: 1 },
            source: { file: 'requests.csv', line: 3 },
          }),
          requestEvent('R-HELD', {
            status: 'needs_review',
            held: { conversations: 2, visitors: 1, reasons: { over_visitor_guard: 3 } },
            source: { file: 'requests.csv', line: 4 },
          }),
        ],
        [
          targetEvent(uuid(1), { status: 'anonymized', requestIds: ['R-DONE'] }),
          targetEvent(uuid(2), { kind: 'visitor', status: 'already_anonymized', requestIds: ['R-DONE'] }),
          targetEvent(uuid(4), { status: 'failed', requestIds: ['R-HELD'], error: { name: 'Timeout' } }),
        ],
        { '@T-9': resolution },
        {
          // verify writes an id a spreadsheet would run as a formula with a leading '
          verifyReport: {
            path: 'v.csv',
            rows: new Map([
              ['R-DONE', CLEAN],
              ["'@T-9", CLEAN],
              ['R-GONE', CLEAN],
            ]),
          },
          readBackReport: { path: 'v.readback.csv', rows: new Map([['R-DONE', EMPTY_READ_BACK]]) },
        },
      ),
    );

    const byId = new Map(report.requests.map((request) => [request.requestId, request]));
    expect(byId.get('R-DONE')).toMatchObject({
      targets: { anonymized: 1, already_anonymized: 1, failed: 0 },
      approved: true,
      // released with --approve: the run that did says who
      decidedBy: 'Bo Approver',
      decidedAt: RUN.startedAt,
      verify: CLEAN,
      readBack: EMPTY_READ_BACK,
    });
    // the request event's reviewer wins over the resolution's
    expect(byId.get('@T-9')).toMatchObject({
      decidedBy: 'Ana',
      decidedAt: '2026-11-21T09:00:00.000Z',
      kept: { conversations: 0, visitors: 1 },
      resolution,
      verify: CLEAN,
    });
    expect(byId.get('@T-9')).not.toHaveProperty('readBack');
    expect(byId.get('R-HELD')).toMatchObject({ held: { conversations: 2, visitors: 1 }, targets: { failed: 1 } });
    expect(byId.get('R-HELD')).not.toHaveProperty('verify');
    expect(report.verifyReport).toEqual({ path: 'v.csv', rows: 3, unmatched: 1 });
    expect(report.readBackReport).toEqual({ path: 'v.readback.csv', rows: 1, unmatched: 0 });
    expect(report.totals).toMatchObject({
      requests: { completed: 2, needs_review: 1 },
      targets: { anonymized: 1, already_anonymized: 1, failed: 1 },
      held: 3,
      kept: 1,
      verify: { clean: 2 },
      readBack: EMPTY_READ_BACK,
    });
    expect(report.runs).toEqual([{ runId: RUN_ID, startedAt: RUN.startedAt, finishedAt: SUMMARY.finishedAt, version: '0.1.0', mode: 'run', exitCode: 2 }]);
    expect(report.generatedAt).toBe('2026-11-24T12:00:00.000Z');
    expect(report.ledger).toEqual({ path: 'erasure.ledger.jsonl', sha256: 'ab'.repeat(32), events: 8, corruptLines: 0 });
  });

  test('without verify reports, no request has verify rows and the totals say none was given', () => {
    const report = evidenceSummary(inputOf([requestEvent('R-1', { status: 'completed' })], []));
    expect(report.requests[0]).not.toHaveProperty('verify');
    expect(report).not.toHaveProperty('verifyReport');
    expect(report.totals).not.toHaveProperty('verify');
    expect(report.totals).not.toHaveProperty('readBack');
  });
});
