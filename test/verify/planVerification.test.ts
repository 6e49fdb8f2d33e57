import { describe, expect, test } from '@jest/globals';
import type { RequestEvent, RunEvent } from '../../src/ledger/ledgerEvents.js';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import type { LocatedInputs } from '../../src/verify/locateInputs.js';
import { planVerification } from '../../src/verify/planVerification.js';
import { VerifyError } from '../../src/verify/verifyError.js';
import { requestEvent } from '../ledger/ledgerFixtures.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const UNTIL = '2026-03-01T00:00:00.000Z';

function runEvent(runId: string, inputs: { file: string; sha256: string }[], options: Record<string, unknown> = {}): RunEvent {
  return {
    type: 'run',
    runId,
    startedAt: '2026-01-01T00:00:00.000Z',
    version: '0.1.0',
    inputs,
    options: { projectIds: [6949], interval: { from: '2023-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' }, defaultCountry: null, ...options },
  };
}

function ledger(runs: RunEvent[], requests: RequestEvent[]) {
  const state = emptyLedgerState();
  state.runs.push(...runs);
  for (const request of requests) state.requests.set(request.requestId, request);
  return state;
}

function located(bySha256: Record<string, string>, problems: Record<string, string> = {}, given = false): LocatedInputs {
  return { bySha256: new Map(Object.entries(bySha256)), problems: new Map(Object.entries(problems)), given };
}

const completed = (requestId: string, runId: string, file: string, line = 2) => requestEvent(requestId, { runId, status: 'completed', source: { file, line } });

describe('planVerification', () => {
  test('only completed requests are checked; the others are counted by status', () => {
    const state = ledger(
      [runEvent('r1', [{ file: 'in.csv', sha256: SHA_A }])],
      [
        completed('A', 'r1', 'in.csv'),
        requestEvent('B', { runId: 'r1', status: 'no_match' }),
        requestEvent('C', { runId: 'r1', status: 'failed' }),
        requestEvent('D', { runId: 'r1', status: 'failed' }),
      ],
    );

    const plan = planVerification(state, located({ [SHA_A]: 'in.csv' }), { until: UNTIL });

    expect(plan.groups).toHaveLength(1);
    expect([...plan.groups[0]!.checks.keys()]).toEqual(['A']);
    expect(plan.skipped).toEqual({ no_match: 1, failed: 2 });
    expect(plan.notChecked).toEqual([]);
  });

  test("each request is read from the bytes its own run read, with that run's country and interval start, up to --until", () => {
    const state = ledger(
      [
        runEvent('r1', [{ file: 'in.csv', sha256: SHA_A }], {
          defaultCountry: 'FR',
          interval: { from: '2023-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
        }),
        runEvent('r2', [{ file: 'in.csv', sha256: SHA_B }], { interval: { from: '2023-02-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' } }),
      ],
      [completed('OLD', 'r1', 'in.csv'), completed('NEW', 'r2', 'in.csv')],
    );

    const plan = planVerification(state, located({ [SHA_A]: 'done/in.csv', [SHA_B]: 'in.csv' }), { until: UNTIL });

    expect(plan.groups.map((group) => ({ path: group.path, country: group.defaultCountry, checks: [...group.checks.values()] }))).toEqual([
      {
        path: 'done/in.csv',
        country: 'FR',
        checks: [{ requestId: 'OLD', source: { file: 'in.csv', line: 2 }, interval: { from: '2023-01-01T00:00:00.000Z', to: UNTIL } }],
      },
      {
        path: 'in.csv',
        country: undefined,
        checks: [{ requestId: 'NEW', source: { file: 'in.csv', line: 2 }, interval: { from: '2023-02-01T00:00:00.000Z', to: UNTIL } }],
      },
    ]);
  });

  test("a request of an applied plan names its file relative to where plan ran, its run the plan's absolute path: it is checked from that path", () => {
    const state = ledger(
      [
        runEvent('apply', [
          { file: '/data/in/a.csv', sha256: SHA_A },
          { file: '/data/in/old/a.csv', sha256: SHA_B },
        ]),
      ],
      [completed('A', 'apply', 'a.csv'), completed('OLD', 'apply', 'old/a.csv'), completed('NOWHERE', 'apply', 'b.csv')],
    );

    const plan = planVerification(state, located({ [SHA_A]: '/data/in/a.csv', [SHA_B]: '/data/in/old/a.csv' }), { until: UNTIL });

    expect(plan.groups.map((group) => ({ path: group.path, checks: [...group.checks.keys()] }))).toEqual([{ path: '/data/in/old/a.csv', checks: ['OLD'] }]);
    expect(plan.notChecked.map((entry) => [entry.requestId, entry.reason])).toEqual([
      ['A', 'the run that completed it recorded several input files that name could be'],
      ['NOWHERE', 'the run that completed it recorded no input file of that name'],
    ]);
  });

  test('--since replaces every run’s interval start', () => {
    const state = ledger([runEvent('r1', [{ file: 'in.csv', sha256: SHA_A }])], [completed('A', 'r1', 'in.csv')]);

    const plan = planVerification(state, located({ [SHA_A]: 'in.csv' }), { until: UNTIL, since: '2025-06-01T00:00:00.000Z' });

    expect(plan.groups[0]!.checks.get('A')!.interval).toEqual({ from: '2025-06-01T00:00:00.000Z', to: UNTIL });
  });

  test('a request whose input is unavailable, or whose run is unknown, is not_checked with the reason', () => {
    const state = ledger(
      [
        runEvent('r1', [
          { file: 'gone.csv', sha256: SHA_A },
          { file: 'old.csv', sha256: SHA_B },
        ]),
      ],
      [
        completed('GONE', 'r1', 'gone.csv', 2),
        completed('OLD', 'r1', 'old.csv', 3),
        completed('ORPHAN', 'lost-run', 'gone.csv', 4),
        completed('ELSEWHERE', 'r1', 'other.csv', 5),
      ],
    );

    const plan = planVerification(state, located({}, { 'gone.csv': 'input file cannot be read (ENOENT)' }), { until: UNTIL });

    expect(plan.groups).toEqual([]);
    expect(Object.fromEntries(plan.notChecked.map((entry) => [entry.requestId, [entry.result, entry.reason]]))).toEqual({
      GONE: ['not_checked', 'input file cannot be read (ENOENT)'],
      OLD: ['not_checked', `its input file old.csv as the run read it (SHA-256 ${SHA_B.slice(0, 12)}…) is no longer at that path; pass it on the command line`],
      ORPHAN: ['not_checked', 'the ledger holds no run event for the run that completed it'],
      ELSEWHERE: ['not_checked', 'the run that completed it recorded no input file of that name'],
    });
  });

  test('with files given, a request whose input is not among them says so', () => {
    const state = ledger(
      [
        runEvent('r1', [
          { file: 'a.csv', sha256: SHA_A },
          { file: 'b.csv', sha256: SHA_B },
        ]),
      ],
      [completed('A', 'r1', 'a.csv'), completed('B', 'r1', 'b.csv')],
    );

    const plan = planVerification(state, located({ [SHA_A]: 'a.csv' }, {}, true), { until: UNTIL });

    expect([...plan.groups[0]!.checks.keys()]).toEqual(['A']);
    expect(plan.notChecked.map((entry) => entry.reason)).toEqual([
      `its input file b.csv as the run read it (SHA-256 ${SHA_B.slice(0, 12)}…) is not among the files given`,
    ]);
  });

  test('projects: those every run searched, unless overridden; none at all is a usage error', () => {
    const runs = [runEvent('r1', [], { projectIds: [7012, 6949] }), runEvent('r2', [], { projectIds: [6949, 8000] })];

    expect(planVerification(ledger(runs, []), located({}), { until: UNTIL }).projectIds).toEqual([6949, 7012, 8000]);
    expect(planVerification(ledger(runs, []), located({}), { until: UNTIL, projectIds: [42] }).projectIds).toEqual([42]);
    expect(() => planVerification(ledger([runEvent('r1', [], { projectIds: undefined })], []), located({}), { until: UNTIL })).toThrow(VerifyError);
  });

  test("each request is read with its run's --encoding and --date-order; runs that read one file differently are read apart", () => {
    const state = ledger(
      [
        runEvent('r1', [{ file: 'in.csv', sha256: SHA_A }], { encoding: 'windows-1252', dateOrder: 'mdy' }),
        runEvent('r2', [{ file: 'in.csv', sha256: SHA_A }], { encoding: null, dateOrder: 'dmy' }),
        runEvent('r3', [{ file: 'in.csv', sha256: SHA_A }], { encoding: 'ebcdic' }),
      ],
      [completed('FORCED', 'r1', 'in.csv', 2), completed('DETECTED', 'r2', 'in.csv', 3), completed('UNKNOWN', 'r3', 'in.csv', 4)],
    );

    const plan = planVerification(state, located({ [SHA_A]: 'in.csv' }), { until: UNTIL });

    expect(plan.groups.map((group) => ({ encoding: group.encoding, dateOrder: group.dateOrder, checks: [...group.checks.keys()] }))).toEqual([
      { encoding: 'windows-1252', dateOrder: 'mdy', checks: ['FORCED'] },
      { encoding: undefined, dateOrder: 'dmy', checks: ['DETECTED'] },
    ]);
    expect(plan.notChecked.map((entry) => [entry.requestId, entry.reason])).toEqual([
      ['UNKNOWN', 'the run that completed it recorded an --encoding, --date-order or --sheet this version does not know'],
    ]);
  });
});
