import { describe, expect, test } from '@jest/globals';
import type { HeldSubject } from '../../src/decisions/heldSubject.js';
import { decisionsOfPage, PostedDecisionsError } from '../../src/review/decisionsOfPage.js';

const VISITOR = '9ec8966b-d226-5863-9ecb-a80db8d6aed5';
const CONVERSATION = 'a9739481-3679-5a03-ba39-a92846d69db7';
const AT = '2026-12-02T15:00:00.000Z';

const options = { projectIds: [6949], interval: { from: '2023-12-02T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' }, maxVisitorsPerRequest: 5 };
const ledgerSubject: HeldSubject = {
  kind: 'ledger',
  path: '/work/erasure.ledger.jsonl',
  withoutResolution: [],
  options,
  inputs: [{ file: '/work/requests.csv', sha256: 'a'.repeat(64) }],
  requests: [
    {
      requestId: 'CP-1',
      source: { file: 'requests.csv', line: 2 },
      targets: [],
      resolvedIn: 'run-1',
      options,
      input: { file: '/work/requests.csv', sha256: 'a'.repeat(64) },
    },
  ],
};

describe('decisionsOfPage', () => {
  test("builds a decisions file of the page's post: ids, decisions, reviewer, reasons and time, bound to the ledger's resolution", () => {
    const body = {
      reviewer: '  Dana Officer ',
      requests: [
        {
          requestId: 'CP-1',
          targets: [
            { kind: 'visitor', id: VISITOR, decision: 'keep', reason: ' a namesake: another e-mail ' },
            { kind: 'conversation', id: CONVERSATION, decision: 'erase', reason: '' },
          ],
        },
      ],
    };
    expect(decisionsOfPage(body, ledgerSubject, AT)).toEqual({
      format: 'iadvize-erasure-decisions/1',
      subject: { kind: 'ledger', file: '/work/erasure.ledger.jsonl', resolvedIn: { 'CP-1': 'run-1' } },
      requests: [
        {
          requestId: 'CP-1',
          reviewer: 'Dana Officer',
          decidedAt: AT,
          targets: [
            { kind: 'visitor', id: VISITOR, decision: 'keep', reason: 'a namesake: another e-mail' },
            { kind: 'conversation', id: CONVERSATION, decision: 'erase' },
          ],
        },
      ],
    });
  });

  test('drops whatever else a body carries, so that no shown data reaches the file', () => {
    const body = {
      reviewer: 'Dana',
      profile: { email: 'camille.perrin78@example.net' },
      requests: [
        { requestId: 'CP-1', email: 'camille.perrin78@example.net', targets: [{ kind: 'visitor', id: VISITOR, decision: 'erase', firstName: 'Camille' }] },
      ],
    };
    expect(JSON.stringify(decisionsOfPage(body, ledgerSubject, AT))).not.toMatch(/camille|example\.net/i);
  });

  test('names a plan by its id and SHA-256', () => {
    const plan: HeldSubject = { ...ledgerSubject, kind: 'plan', path: '/work/plan.json', planId: 'plan-1', sha256: 'b'.repeat(64) };
    expect(decisionsOfPage({ reviewer: 'Dana', requests: [] }, plan, AT).subject).toEqual({
      kind: 'plan',
      file: '/work/plan.json',
      planId: 'plan-1',
      sha256: 'b'.repeat(64),
    });
  });

  test('refuses a body without a reviewer, with an unknown decision or target kind, or a keep without a reason', () => {
    const target = { kind: 'visitor', id: VISITOR, decision: 'erase' };
    for (const body of [
      null,
      { requests: [] },
      { reviewer: '   ', requests: [] },
      { reviewer: 'Dana', requests: [{ requestId: 'CP-1', targets: [{ ...target, decision: 'maybe' }] }] },
      { reviewer: 'Dana', requests: [{ requestId: 'CP-1', targets: [{ ...target, kind: 'agent' }] }] },
      { reviewer: 'Dana', requests: [{ requestId: 'CP-1' }] },
      { reviewer: 'Dana', requests: [{ requestId: 'CP-1', targets: [{ ...target, decision: 'keep' }] }] },
      { reviewer: 'Dana', requests: [{ requestId: 'CP-1', targets: [{ ...target, decision: 'keep', reason: '  ' }] }] },
    ]) {
      expect(() => decisionsOfPage(body, ledgerSubject, AT)).toThrow(PostedDecisionsError);
    }
  });
});
