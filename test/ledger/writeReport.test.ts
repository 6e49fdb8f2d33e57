import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countTargetsByRequest } from '../../src/ledger/countTargetsByRequest.js';
import { type RequestEvent, type TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { emptyLedgerState, type LedgerState } from '../../src/ledger/ledgerState.js';
import { reportRows, writeReport } from '../../src/ledger/writeReport.js';
import { makeTempDir, requestEvent, targetEvent, uuid } from './ledgerFixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

function stateOf(requests: RequestEvent[], targets: TargetEvent[] = []): LedgerState {
  const state = emptyLedgerState();
  for (const request of requests) state.requests.set(request.requestId, request);
  for (const target of targets) state.targets.put(target);
  return state;
}

const HEADER =
  'request_id,status,conversations,visitors,anonymized,already_anonymized,failed,reason,source,received_at,deadline,deadline_flag,held,decided_by,kept';
const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('writeReport', () => {
  test('writes the exact CSV: BOM, CRLF, quoting, formula guard, shared targets, source order', async () => {
    const state = stateOf(
      [
        requestEvent('REQ-B', {
          status: 'completed',
          source: { file: 'b.csv', line: 2 },
          conversations: 2,
          visitors: 1,
          decidedBy: 'Ana Ruiz',
          kept: { conversations: 1, visitors: 1 },
        }),
        requestEvent('REQ,1 "x"', { status: 'failed', source: { file: 'a.csv', line: 10 }, conversations: 1, visitors: 1 }),
        requestEvent('=1+1', {
          status: 'needs_review',
          source: { file: 'a.csv', line: 3 },
          conversations: 9,
          visitors: 7,
          reason: 'reached 7 visitors, over 5',
          receivedAt: '2026-10-01T00:00:00.000Z',
          held: { conversations: 8, visitors: 6, reasons: { over_visitor_guard: 14 } },
        }),
      ],
      [
        targetEvent(uuid(1), { status: 'anonymized', requestIds: ['REQ-B', 'REQ,1 "x"'] }),
        targetEvent(uuid(2), { status: 'already_anonymized', requestIds: ['REQ-B'] }),
        targetEvent(uuid(3), { kind: 'visitor', status: 'failed', requestIds: ['REQ,1 "x"'], error: { name: 'Timeout' } }),
        targetEvent(uuid(4), { status: 'planned', requestIds: ['REQ-B'] }),
      ],
    );
    const path = join(dir, 'report.csv');

    await writeReport(path, state, NOW);

    expect(await readFile(path, 'utf8')).toBe(
      '\uFEFF' +
        `${HEADER}\r\n` +
        `'=1+1,needs_review,9,7,0,0,0,"reached 7 visitors, over 5",a.csv:3,2026-10-01T00:00:00.000Z,2026-11-01T00:00:00.000Z,overdue,14,,0\r\n` +
        `"REQ,1 ""x""",failed,1,1,1,0,1,,a.csv:10,,,,0,,0\r\n` +
        'REQ-B,completed,2,1,1,1,0,,b.csv:2,,,,0,Ana Ruiz,2\r\n',
    );
  });

  test('a request whose received_at could not be read has the deadline "unknown", and no flag', () => {
    const state = stateOf([
      requestEvent('R1', { status: 'failed', source: { file: 'a.csv', line: 2 }, receivedAtUnreadable: true }),
      requestEvent('R2', { status: 'rejected', source: { file: 'a.csv', line: 3 }, receivedAtUnreadable: true }),
    ]);

    expect(reportRows(state, NOW).map((row) => [row.request_id, row.received_at, row.deadline, row.deadline_flag])).toEqual([
      ['R1', '', 'unknown', ''],
      ['R2', '', 'unknown', ''],
    ]);
  });

  test('an empty ledger gives the header alone', async () => {
    const path = join(dir, 'report.csv');

    await writeReport(path, emptyLedgerState());

    expect(await readFile(path, 'utf8')).toBe(`\uFEFF${HEADER}\r\n`);
  });

  test('every formula-starting character is neutralized, and CR/LF inside a cell are quoted', async () => {
    const ids = ['+1', '-1', '@SUM(A1)', '\tx', '\rx', 'a\nb'];
    const state = stateOf(ids.map((id, i) => requestEvent(id, { source: { file: 'r.csv', line: i + 1 } })));
    const path = join(dir, 'report.csv');

    await writeReport(path, state);

    const cells = (await readFile(path, 'utf8'))
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.slice(0, row.indexOf(',planned')));
    expect(cells).toEqual(["'+1", "'-1", "'@SUM(A1)", "'\tx", `"'\rx"`, '"a\nb"']);
  });

  test('a source file name that starts with "=" is neutralized too', async () => {
    const state = stateOf([requestEvent('REQ-1', { source: { file: '=evil.csv', line: 2 } })]);

    const path = join(dir, 'report.csv');
    await writeReport(path, state);

    expect(await readFile(path, 'utf8')).toContain(",'=evil.csv:2,,,,0,,0\r\n");
  });

  test('replaces an existing report whole and leaves no temporary file behind', async () => {
    const path = join(dir, 'report.csv');
    await writeFile(path, 'old report that is much longer than the new one\r\n'.repeat(100));

    await writeReport(path, stateOf([requestEvent('REQ-1')]));

    expect(await readFile(path, 'utf8')).toBe(`\uFEFF${HEADER}\r\nREQ-1,planned,0,0,0,0,0,,requests.csv:2,,,,0,,0\r\n`);
    expect(await readdir(dir)).toEqual(['report.csv']);
  });

  test('creates the report directory when missing', async () => {
    const path = join(dir, 'out', 'report.csv');

    await writeReport(path, stateOf([requestEvent('REQ-1')]));

    expect(await readFile(path, 'utf8')).toContain('REQ-1');
  });

  test('a report that cannot be written rejects and leaves no temporary file', async () => {
    const path = join(dir, 'report.csv');
    await writeFile(join(dir, 'blocker'), 'x');

    await expect(writeReport(join(dir, 'blocker', 'report.csv'), emptyLedgerState())).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual(['blocker']);
  });
});

describe('reportRows', () => {
  test('rows carry the CSV column names, numbers as numbers, and sort by file, line, then request id', () => {
    const state = stateOf([
      requestEvent('REQ-2', { source: { file: 'a.csv', line: 5 } }),
      requestEvent('REQ-1', { source: { file: 'a.csv', line: 5 } }),
      requestEvent('REQ-0', { source: { file: 'a.csv', line: 40 } }),
    ]);

    expect(reportRows(state)).toEqual([
      {
        request_id: 'REQ-1',
        status: 'planned',
        conversations: 0,
        visitors: 0,
        anonymized: 0,
        already_anonymized: 0,
        failed: 0,
        reason: '',
        source: 'a.csv:5',
        received_at: '',
        deadline: '',
        deadline_flag: '',
        held: 0,
        decided_by: '',
        kept: 0,
      },
      {
        request_id: 'REQ-2',
        status: 'planned',
        conversations: 0,
        visitors: 0,
        anonymized: 0,
        already_anonymized: 0,
        failed: 0,
        reason: '',
        source: 'a.csv:5',
        received_at: '',
        deadline: '',
        deadline_flag: '',
        held: 0,
        decided_by: '',
        kept: 0,
      },
      {
        request_id: 'REQ-0',
        status: 'planned',
        conversations: 0,
        visitors: 0,
        anonymized: 0,
        already_anonymized: 0,
        failed: 0,
        reason: '',
        source: 'a.csv:40',
        received_at: '',
        deadline: '',
        deadline_flag: '',
        held: 0,
        decided_by: '',
        kept: 0,
      },
    ]);
  });

  test('targets of requests absent from the ledger make no row', () => {
    const state = stateOf([requestEvent('REQ-1')], [targetEvent(uuid(1), { status: 'anonymized', requestIds: ['REQ-GONE'] })]);

    expect(reportRows(state).map((row) => row.request_id)).toEqual(['REQ-1']);
  });
});

describe('countTargetsByRequest', () => {
  test('a target shared by two requests counts for each; one listing a request twice counts once', () => {
    const counts = countTargetsByRequest([
      targetEvent(uuid(1), { status: 'anonymized', requestIds: ['A', 'B'] }),
      targetEvent(uuid(2), { status: 'failed', requestIds: ['A', 'A'] }),
      targetEvent(uuid(3), { status: 'already_anonymized', requestIds: ['B'] }),
    ]);

    expect(Object.fromEntries(counts)).toEqual({
      A: { anonymized: 1, already_anonymized: 0, failed: 1, planned: 0 },
      B: { anonymized: 1, already_anonymized: 1, failed: 0, planned: 0 },
    });
  });
});
