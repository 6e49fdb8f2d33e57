import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerEvent, ResolutionEvent } from '../../src/ledger/ledgerEvents.js';
import { collectEvidence } from '../../src/report/collectEvidence.js';
import { ReportInputError } from '../../src/report/reportInputError.js';
import type { RequestVerification } from '../../src/verify/verification.js';
import { writeReadBackReport } from '../../src/verify/writeReadBackReport.js';
import { writeVerifyReport } from '../../src/verify/writeVerifyReport.js';
import { makeTempDir, requestEvent, RUN_ID, targetEvent, uuid } from '../ledger/ledgerFixtures.js';

/** collectEvidence reads a ledger written as JSON Lines and the CSVs verify's own writers write. */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const NOW = Date.parse('2026-11-24T12:00:00Z');

function resolution(requestId: string, targets: ResolutionEvent['targets'], changes: Partial<ResolutionEvent> = {}): ResolutionEvent {
  return { type: 'resolution', runId: RUN_ID, requestId, identifiers: { 'email#1': 'k1:abcd' }, targets, ...changes };
}

async function writeLedger(lines: (LedgerEvent | string)[]): Promise<string> {
  const path = join(dir, 'erasure.ledger.jsonl');
  await writeFile(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'), 'utf8');
  return path;
}

function verification(requestId: string, line: number, changes: Partial<RequestVerification> = {}): RequestVerification {
  return { requestId, source: { file: 'requests.csv', line }, result: 'clean', conversationIds: [], visitorIds: [], ...changes };
}

describe('collectEvidence', () => {
  test("the latest resolution of each request, joined to its targets' last status; verify's rows by request; the ledger's SHA-256", async () => {
    const ledgerPath = await writeLedger([
      { type: 'run', runId: RUN_ID, startedAt: '2026-11-20T08:00:00.000Z', version: '0.1.0', inputs: [], options: {} },
      // resolved again on resume: the first resolution no longer counts
      resolution('R-1', [{ kind: 'conversation', id: uuid(9), evidence: [{ kind: 'message_search', matched: ['search#1'] }] }]),
      resolution('R-1', [
        { kind: 'conversation', id: uuid(1), evidence: [{ kind: 'message_identifier', matched: ['email#1'] }] },
        { kind: 'visitor', id: uuid(2), evidence: [{ kind: 'profile_match', matched: ['email#1'] }] },
      ]),
      targetEvent(uuid(1), { status: 'failed', requestIds: ['R-1'], attempts: 6, error: { name: 'Timeout' } }),
      targetEvent(uuid(1), { status: 'anonymized', requestIds: ['R-1'], attempts: 1 }),
      targetEvent(uuid(2), { kind: 'visitor', status: 'anonymized', requestIds: ['R-1'], attempts: 1 }),
      requestEvent('R-1', { status: 'completed', conversations: 1, visitors: 1 }),
      '{"type":"resolution", this line is damaged',
      resolution('=R-2', [
        {
          kind: 'visitor',
          id: uuid(3),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'conflicting_profile', fields: ['lastName'] },
          decision: { decision: 'keep', decidedBy: 'Ana Reviewer', reason: 'a namesake' },
        },
      ]),
      requestEvent('=R-2', { status: 'completed', visitors: 1, kept: { conversations: 0, visitors: 1 }, source: { file: 'requests.csv', line: 3 } }),
      // torn last line
      '{"type":"request","runId"',
    ]);
    const verifyPath = join(dir, 'erasure.verify.csv');
    const readBackPath = join(dir, 'erasure.verify.readback.csv');
    const verifications = [
      verification('R-1', 2, { readBack: { profilesEmpty: 1, conversationsEmpty: 1, notRead: 0, remaining: [] } }),
      verification('=R-2', 3, { result: 'remaining', visitorIds: [uuid(7)], readBack: { profilesEmpty: 0, conversationsEmpty: 0, notRead: 1, remaining: [] } }),
    ];
    await writeVerifyReport(verifyPath, verifications);
    await writeReadBackReport(readBackPath, verifications);

    const report = await collectEvidence({ ledgerPath, verifyReportPath: verifyPath, readBackReportPath: readBackPath, nowMs: NOW });

    expect(report.ledger).toEqual({
      path: ledgerPath,
      sha256: createHash('sha256')
        .update(await readFile(ledgerPath))
        .digest('hex'),
      events: 9,
      corruptLines: 1,
    });
    const byId = new Map(report.requests.map((request) => [request.requestId, request]));
    expect(byId.get('R-1')?.resolution?.targets).toEqual({ conversation: 1, visitor: 1, erased: 2, kept: 0, held: 0, failed: 0, not_sent: 0 });
    expect(Object.keys(byId.get('R-1')?.resolution?.byEvidence ?? {})).toEqual(['message_identifier', 'profile_match']);
    expect(byId.get('R-1')).toMatchObject({
      verify: { result: 'clean', conversationsFound: 0, visitorsFound: 0, reason: '' },
      readBack: { profilesEmpty: 1, conversationsEmpty: 1, notRead: 0, profilesRemaining: 0, conversationsRemaining: 0 },
    });
    expect(byId.get('=R-2')).toMatchObject({
      resolution: { targets: { visitor: 1, kept: 1 }, keepReasons: [{ decidedBy: 'Ana Reviewer', reason: 'a namesake', targets: 1 }] },
      verify: { result: 'remaining', visitorsFound: 1 },
      readBack: { notRead: 1 },
      concerns: ['verify_remaining'],
    });
    expect(report.verifyReport).toEqual({ path: verifyPath, rows: 2, unmatched: 0 });
  });

  test('a missing ledger, and a CSV that is not a report of verify, are refused by name, without a cell of the file', async () => {
    await expect(collectEvidence({ ledgerPath: join(dir, 'none.jsonl'), nowMs: NOW })).rejects.toThrow(
      new ReportInputError(`no ledger at ${join(dir, 'none.jsonl')}`),
    );
    const ledgerPath = await writeLedger([requestEvent('R-1', { status: 'completed' })]);
    const requests = join(dir, 'requests.csv');
    await writeFile(requests, 'request_id,email\nR-1,someone@example.org\n', 'utf8');
    await expect(collectEvidence({ ledgerPath, verifyReportPath: requests, nowMs: NOW })).rejects.toThrow(
      new ReportInputError(`${requests}: not a report of verify, no column result, conversations_found, visitors_found, found_ids, reason`),
    );
    const damaged = join(dir, 'damaged.csv');
    await writeFile(damaged, 'request_id,result,conversations_found,visitors_found,found_ids,reason\nR-1,clean,someone@example.org,0,,\n', 'utf8');
    const refusal = await collectEvidence({ ledgerPath, verifyReportPath: damaged, nowMs: NOW }).catch((error: unknown) => error);
    expect(refusal).toEqual(new ReportInputError(`${damaged}: line 2: conversations_found is not a count`));
    const unclosed = join(dir, 'unclosed.csv');
    await writeFile(unclosed, 'request_id,result,conversations_found,visitors_found,found_ids,reason\nR-1,clean,0,0,,"someone@example.org\n', 'utf8');
    const unreadable = await collectEvidence({ ledgerPath, verifyReportPath: unclosed, nowMs: NOW }).catch((error: unknown) => error);
    expect(unreadable).toBeInstanceOf(ReportInputError);
    expect((unreadable as Error).message).toMatch(new RegExp(`^${unclosed}: not readable as CSV \\(CSV_QUOTE_NOT_CLOSED, near line \\d+\\)$`));
  });
});
