import { describe, expect, test } from '@jest/globals';
import { DECISIONS_FORMAT, type DecisionsFile, type RequestDecisions } from '../../src/decisions/decisionsFile.js';
import type { HeldRequest, HeldSubject } from '../../src/decisions/heldSubject.js';
import { mergeDecisions } from '../../src/decisions/mergeDecisions.js';

const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const OPTIONS = { projectIds: [1], interval: { from: '2024-01-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, maxVisitorsPerRequest: 5 };
const held = (requestId: string, resolvedIn: string): HeldRequest => ({
  requestId,
  source: { file: 'requests.csv', line: 2 },
  targets: [],
  resolvedIn,
  options: OPTIONS,
  input: { problem: 'not needed here' },
});
const subjectHolding = (...requests: HeldRequest[]): HeldSubject => ({
  kind: 'ledger',
  path: '/x/erasure.ledger.jsonl',
  options: OPTIONS,
  inputs: [],
  requests,
  withoutResolution: [],
});
const decided = (requestId: string, n: number): RequestDecisions => ({
  requestId,
  reviewer: 'Ana Ruiz',
  decidedAt: `2026-12-02T10:0${n}:00.000Z`,
  targets: [{ kind: 'visitor', id: V(n), decision: 'erase' }],
});
const file = (resolvedIn: Record<string, string>, ...requests: RequestDecisions[]): DecisionsFile => ({
  format: DECISIONS_FORMAT,
  subject: { kind: 'ledger', file: '/x/erasure.ledger.jsonl', resolvedIn },
  requests,
});

describe('mergeDecisions', () => {
  test('a second save keeps what the first decided on other requests still held, and replaces its own request', () => {
    const subject = subjectHolding(held('R1', 'run-1'), held('R2', 'run-1'));
    const earlier = file({ R1: 'run-1', R2: 'run-1' }, decided('R1', 1), decided('R2', 2));
    const now = file({ R2: 'run-1' }, decided('R2', 3));

    expect(mergeDecisions(subject, earlier, now)).toEqual(file({ R1: 'run-1', R2: 'run-1' }, decided('R1', 1), decided('R2', 3)));
  });

  test('earlier decisions of requests applied since, or resolved again since, drop out', () => {
    const subject = subjectHolding(held('R2', 'run-2'), held('R3', 'run-1'));
    const earlier = file({ R1: 'run-1', R2: 'run-1' }, decided('R1', 1), decided('R2', 2));
    const now = file({ R3: 'run-1' }, decided('R3', 3));

    expect(mergeDecisions(subject, earlier, now)).toEqual(now);
  });

  test('an earlier file about another ledger is not merged', () => {
    const subject = subjectHolding(held('R1', 'run-1'), held('R2', 'run-1'));
    const earlier: DecisionsFile = {
      ...file({ R1: 'run-1' }, decided('R1', 1)),
      subject: { kind: 'ledger', file: '/y/other.ledger.jsonl', resolvedIn: { R1: 'run-1' } },
    };
    const now = file({ R2: 'run-1' }, decided('R2', 2));

    expect(mergeDecisions(subject, earlier, now)).toEqual(now);
  });
});
