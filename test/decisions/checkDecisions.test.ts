import { describe, expect, test } from '@jest/globals';
import { checkDecisions } from '../../src/decisions/checkDecisions.js';
import { DECISIONS_FORMAT, type DecisionsFile } from '../../src/decisions/decisionsFile.js';
import { decisionsPathFor } from '../../src/decisions/decisionsPath.js';
import type { HeldRequest, HeldSubject } from '../../src/decisions/heldSubject.js';
import { decisionsProblem } from '../../src/decisions/readDecisions.js';

const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const OPTIONS = { projectIds: [1], interval: { from: '2024-01-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, maxVisitorsPerRequest: 5 };

const heldRequest = (requestId: string, resolvedIn: string): HeldRequest => ({
  requestId,
  source: { file: 'requests.csv', line: 2 },
  targets: [
    { kind: 'visitor', id: V(1), evidence: [{ kind: 'profile_match', matched: ['email#1'] }] },
    { kind: 'visitor', id: V(2), evidence: [{ kind: 'message_search', matched: ['search#1'] }], held: { reason: 'conflicting_profile', fields: ['email'] } },
    { kind: 'conversation', id: C(2), evidence: [{ kind: 'message_search', matched: ['search#1'] }], held: { reason: 'conflicting_profile', visitor: V(2) } },
  ],
  resolvedIn,
  options: OPTIONS,
  input: { problem: 'not needed here' },
});

const LEDGER: HeldSubject = {
  kind: 'ledger',
  path: '/x/erasure.ledger.jsonl',
  options: OPTIONS,
  inputs: [],
  requests: [heldRequest('R1', 'run-1')],
  withoutResolution: [],
};

function decisions(overrides: Partial<DecisionsFile['requests'][number]> = {}, resolvedIn = 'run-1'): DecisionsFile {
  return {
    format: DECISIONS_FORMAT,
    subject: { kind: 'ledger', file: LEDGER.path, resolvedIn: { R1: resolvedIn } },
    requests: [
      {
        requestId: 'R1',
        reviewer: 'Ana Ruiz',
        decidedAt: '2026-12-02T10:00:00.000Z',
        targets: [
          { kind: 'visitor', id: V(2), decision: 'keep', reason: 'a namesake' },
          { kind: 'conversation', id: C(2), decision: 'erase' },
        ],
        ...overrides,
      },
    ],
  };
}

describe('checkDecisions', () => {
  test('every held target decided, nothing else: accepted', () => {
    expect(() => checkDecisions(LEDGER, decisions())).not.toThrow();
  });

  test('a target that is not held, and a held one left undecided, are both named', () => {
    const file = decisions({
      targets: [
        { kind: 'visitor', id: V(1), decision: 'erase' },
        { kind: 'conversation', id: C(2), decision: 'erase' },
      ],
    });
    expect(() => checkDecisions(LEDGER, file, 'd.json')).toThrow(
      `d.json cannot be applied to ${LEDGER.path}: request R1: visitor:${V(1)} is not one of its held targets; request R1: held target visitor:${V(2)} has no decision`,
    );
  });

  test('a request resolved again since it was reviewed is refused', () => {
    expect(() => checkDecisions(LEDGER, decisions({}, 'run-0'))).toThrow('request R1 was resolved again since it was reviewed (run run-1): review it again');
  });

  test('a request the ledger does not hold is refused', () => {
    expect(() => checkDecisions(LEDGER, decisions({ requestId: 'R2' }))).toThrow('request R2 is not held for review there');
  });

  test('decisions made on another plan are refused', () => {
    const plan: HeldSubject = { ...LEDGER, kind: 'plan', path: '/x/plan.json', planId: 'p-2', sha256: 'b'.repeat(64) };
    const file: DecisionsFile = { ...decisions(), subject: { kind: 'plan', file: 'plan.json', planId: 'p-1', sha256: 'a'.repeat(64) } };
    expect(() => checkDecisions(plan, file)).toThrow('it was made for plan p-1, not this plan file (p-2) as it is now');
  });
});

describe('decisionsProblem', () => {
  test.each([
    [{ ...decisions(), format: 'other/1' }, `format is not ${DECISIONS_FORMAT}`],
    [decisions({ reviewer: ' ' }), 'request #1: no reviewer'],
    [decisions({ reviewer: 'x'.repeat(201) }), 'request #1: reviewer is longer than 200 characters'],
    [decisions({ targets: [{ kind: 'visitor', id: 'not-a-uuid', decision: 'erase' }] }), 'request #1: target #1: id is not a UUID'],
    [decisions({ targets: [{ kind: 'visitor', id: V(2), decision: 'keep' }] }), 'request #1: target #1: a keep needs a reason'],
    [
      decisions({
        targets: [
          { kind: 'visitor', id: V(2), decision: 'erase' },
          { kind: 'visitor', id: V(2), decision: 'keep', reason: 'r' },
        ],
      }),
      'request #1: target #2: decided twice',
    ],
    [{ ...decisions(), requests: [...decisions().requests, ...decisions().requests] }, 'request #2: decided twice'],
  ])('%#: refused with what is wrong', (file, problem) => {
    expect(decisionsProblem(file)).toBe(problem);
  });

  test('a well-formed file has no problem', () => {
    expect(decisionsProblem(decisions())).toBeUndefined();
  });
});

describe('decisionsPathFor', () => {
  test.each([
    ['/a/plan.json', '/a/plan.decisions.json'],
    ['/a/erasure.ledger.jsonl', '/a/erasure.decisions.json'],
    ['/done/20261202-x.csv.ledger.jsonl', '/done/20261202-x.csv.decisions.json'],
    ['/a/ledger', '/a/ledger.decisions.json'],
  ])('%s → %s', (subject, expected) => {
    expect(decisionsPathFor(subject)).toBe(expected);
  });
});
