import { describe, expect, test } from '@jest/globals';
import type { RequestEvent } from '../../src/ledger/ledgerEvents.js';
import { PlanRecorder, type PlanHeader } from '../../src/plan/planRecorder.js';
import type { Resolution } from '../../src/resolve/evidence.js';

const HEADER: PlanHeader = {
  planId: 'p',
  createdAt: '2026-01-01T00:00:00Z',
  version: 'test',
  inputs: [],
  options: { projectIds: [1], interval: { from: 'a', to: 'b' }, maxVisitorsPerRequest: 5, defaultCountry: null, shard: null },
};
const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A resolution whose targets are all held (over the guard) or none. */
function resolution(conversations: string[], visitors: string[], held = false): Resolution {
  const hold = held ? { held: { reason: 'over_visitor_guard' as const } } : {};
  return {
    targets: [
      ...conversations.map((id) => ({ kind: 'conversation' as const, id, evidence: [], ...hold })),
      ...visitors.map((id) => ({ kind: 'visitor' as const, id, evidence: [], ...hold })),
    ],
  };
}

function event(requestId: string, status: RequestEvent['status'], file: string, line: number, receivedAt?: string): RequestEvent {
  return { type: 'request', runId: 'p', requestId, status, source: { file, line }, conversations: 0, visitors: 0, ...(receivedAt ? { receivedAt } : {}) };
}

describe('PlanRecorder', () => {
  test('keeps the targets of planned and held requests only, and counts distinct targets of each', () => {
    const recorder = new PlanRecorder();
    recorder.resolved('A', resolution([C(1), C(2)], [V(1)]));
    recorder.resolved('B', resolution([C(2), C(3)], [V(1)]));
    recorder.resolved('H', resolution([C(9)], [V(7), V(8)], true));
    recorder.resolved('F', resolution([C(5)], []));
    recorder.finished(event('A', 'planned', 'f.csv', 2));
    recorder.finished(event('B', 'planned', 'f.csv', 3));
    recorder.finished(event('H', 'needs_review', 'f.csv', 4));
    recorder.finished(event('F', 'failed', 'f.csv', 5));

    const plan = recorder.toPlan(HEADER, ['f.csv']);

    expect(plan.requests.find((r) => r.requestId === 'H')).toMatchObject({ conversations: [C(9)], visitors: [V(7), V(8)] });
    expect(plan.requests.find((r) => r.requestId === 'F')).toMatchObject({ conversations: [], visitors: [] });
    expect(plan.counts).toEqual({
      requests: { planned: 2, needs_review: 1, failed: 1 },
      planned: { conversations: 3, visitors: 1 },
      held: { conversations: 1, visitors: 2 },
    });
  });

  test('orders requests as apply works: unknown receipt first, then oldest received, then file and line', () => {
    const recorder = new PlanRecorder();
    recorder.finished(event('late', 'no_match', 'a.csv', 2, '2026-03-01'));
    recorder.finished(event('b2', 'no_match', 'b.csv', 2));
    recorder.finished(event('early', 'no_match', 'b.csv', 9, '2026-01-01'));
    recorder.finished(event('a7', 'no_match', 'a.csv', 7));

    const plan = recorder.toPlan(HEADER, ['a.csv', 'b.csv']);

    expect(plan.requests.map((r) => r.requestId)).toEqual(['a7', 'b2', 'early', 'late']);
  });
});
