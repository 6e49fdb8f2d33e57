import { describe, expect, test } from '@jest/globals';
import type { ResolutionEvent, TargetStatus } from '../../src/ledger/ledgerEvents.js';
import { countResolution, emptyOutcomeCounts, targetOutcome } from '../../src/report/resolutionCounts.js';
import { RUN_ID, uuid } from '../ledger/ledgerFixtures.js';

const HELD = { reason: 'conflicting_profile' as const, fields: ['lastName' as const] };

describe('targetOutcome', () => {
  test('erased once its last target event says so, else kept, held, failed or not sent', () => {
    const target = { kind: 'visitor' as const, id: uuid(1), evidence: [] };
    expect(targetOutcome(target, 'anonymized')).toBe('erased');
    expect(targetOutcome(target, 'already_anonymized')).toBe('erased');
    expect(targetOutcome({ ...target, held: HELD }, undefined)).toBe('held');
    expect(targetOutcome({ ...target, held: HELD, decision: { decision: 'keep', decidedBy: 'Ana', reason: 'namesake' } }, undefined)).toBe('kept');
    // decided erase and sent, but the API refused it
    expect(targetOutcome({ ...target, held: HELD, decision: { decision: 'erase', decidedBy: 'Ana' } }, 'failed')).toBe('failed');
    expect(targetOutcome(target, 'planned')).toBe('not_sent');
    expect(targetOutcome(target, undefined)).toBe('not_sent');
  });
});

describe('countResolution', () => {
  test('counts each target once, under each evidence kind once, held by reason, and groups keep reasons by reviewer', () => {
    const event: ResolutionEvent = {
      type: 'resolution',
      runId: RUN_ID,
      requestId: 'R-1',
      decidedBy: 'Ana Reviewer',
      decidedAt: '2026-11-20T10:00:00.000Z',
      targets: [
        // two message matches of one kind, and a second kind: counted once under each
        {
          kind: 'conversation',
          id: uuid(1),
          evidence: [
            { kind: 'message_identifier', matched: ['email#1'] },
            { kind: 'message_identifier', matched: ['phone#1'] },
            { kind: 'named_by_id', matched: ['conversation_id#1'] },
          ],
        },
        { kind: 'visitor', id: uuid(2), evidence: [{ kind: 'profile_match', matched: ['email#1'] }] },
        {
          kind: 'visitor',
          id: uuid(3),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: HELD,
          decision: { decision: 'keep', decidedBy: 'Ana Reviewer', reason: 'a namesake <in Lyon>' },
        },
        {
          kind: 'conversation',
          id: uuid(4),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'conflicting_profile', visitor: uuid(3) },
          decision: { decision: 'keep', decidedBy: 'Ana Reviewer', reason: 'a namesake <in Lyon>' },
        },
        { kind: 'conversation', id: uuid(5), evidence: [{ kind: 'message_search', matched: ['search#1'] }], held: { reason: 'over_visitor_guard' } },
        {
          kind: 'conversation',
          id: uuid(6),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'over_visitor_guard' },
          decision: { decision: 'erase', decidedBy: 'Ana Reviewer' },
        },
      ],
    };
    const statuses: Record<string, TargetStatus> = { [uuid(1)]: 'anonymized', [uuid(2)]: 'already_anonymized', [uuid(6)]: 'failed' };

    const counts = countResolution(event, (_kind, id) => statuses[id]);

    expect(counts.targets).toEqual({ conversation: 4, visitor: 2, erased: 2, kept: 2, held: 1, failed: 1, not_sent: 0 });
    expect(counts.byEvidence).toEqual({
      message_identifier: { ...emptyOutcomeCounts(), conversation: 1, erased: 1 },
      named_by_id: { ...emptyOutcomeCounts(), conversation: 1, erased: 1 },
      profile_match: { ...emptyOutcomeCounts(), visitor: 1, erased: 1 },
      message_search: { ...emptyOutcomeCounts(), conversation: 3, visitor: 1, kept: 2, held: 1, failed: 1 },
    });
    expect(counts.heldByReason).toEqual({ conflicting_profile: 2, over_visitor_guard: 2 });
    expect(counts.decisions).toEqual({ erase: 1, keep: 2 });
    expect(counts.keepReasons).toEqual([{ decidedBy: 'Ana Reviewer', reason: 'a namesake <in Lyon>', targets: 2 }]);
    expect(counts).toMatchObject({ decidedBy: 'Ana Reviewer', decidedAt: '2026-11-20T10:00:00.000Z', approved: false });
  });

  test('an event without decisions has none, and its absent fields stay absent', () => {
    const counts = countResolution({ type: 'resolution', runId: RUN_ID, requestId: 'R-2', targets: [], approved: true }, () => undefined);
    expect(counts).toEqual({
      targets: emptyOutcomeCounts(),
      byEvidence: {},
      heldByReason: {},
      decisions: { erase: 0, keep: 0 },
      keepReasons: [],
      approved: true,
    });
  });
});
