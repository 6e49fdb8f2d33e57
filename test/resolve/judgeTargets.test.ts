import { describe, expect, test } from '@jest/globals';
import type { Evidence } from '../../src/resolve/evidence.js';
import { judgeTargets, type ReachedTargets } from '../../src/resolve/judgeTargets.js';
import type { VisitorProfile } from '../../src/resolve/profileConflicts.js';
import type { PersonRequest } from '../../src/requests/personRequest.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ANONYMOUS: VisitorProfile = { email: null, phoneNumber: null, firstName: null, lastName: null };

const CAMILLE: PersonRequest = {
  requestId: 'R1',
  source: { file: 'r.csv', line: 2 },
  emails: ['camille.perrin@example.fr'],
  phones: [],
  searches: ['Camille Perrin'],
  conversationIds: [],
  visitorIds: [],
};

const byEmail: Evidence = { kind: 'message_identifier', matched: ['email#1'] };
const byName: Evidence = { kind: 'message_search', matched: ['search#1'] };
const ofVisitor = (visitor: string): Evidence => ({ kind: 'visitor_conversation', matched: [], visitor });

function reached(conversations: [string, string | null, Evidence[]][], visitors: [string, VisitorProfile | null, Evidence[]][]): ReachedTargets {
  return {
    conversations: new Map(conversations.map(([id, visitorId, evidence]) => [id, { visitorId, evidence }])),
    visitors: new Map(visitors.map(([id, profile, evidence]) => [id, { profile, evidence }])),
  };
}

const heldOf = (targets: { id: string; held?: unknown }[]) => Object.fromEntries(targets.filter((t) => t.held !== undefined).map((t) => [t.id, t.held]));

describe('judgeTargets', () => {
  test("the person's profile (by e-mail), her anonymous device, a namesake and a neighbour", () => {
    const namesake = { ...ANONYMOUS, firstName: 'Camille', lastName: 'Perrin', email: 'camille.perrin78@example.net' };
    const neighbour = { ...ANONYMOUS, firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.com' };
    const own = { ...ANONYMOUS, firstName: 'Camille', lastName: 'Perrin', email: 'camille.perrin@example.fr' };
    const resolution = judgeTargets(
      CAMILLE,
      reached(
        [
          [C(1), V(1), [byName, ofVisitor(V(1))]],
          [C(2), V(1), [ofVisitor(V(1))]],
          [C(3), V(2), [byEmail, ofVisitor(V(2))]],
          [C(4), V(3), [byName, ofVisitor(V(3))]],
          [C(5), V(3), [ofVisitor(V(3))]],
          [C(6), V(4), [byName, ofVisitor(V(4))]],
        ],
        [
          [V(1), own, [byName, { kind: 'profile_match', matched: ['email#1'] }]],
          [V(2), ANONYMOUS, [byEmail]],
          [V(3), namesake, [byName]],
          [V(4), neighbour, [byName]],
        ],
      ),
      { maxVisitorsPerRequest: 5 },
    );

    expect(heldOf(resolution.targets)).toEqual({
      [C(4)]: { reason: 'conflicting_profile', visitor: V(3) },
      [C(5)]: { reason: 'conflicting_profile', visitor: V(3) },
      [C(6)]: { reason: 'conflicting_profile', visitor: V(4) },
      [V(3)]: { reason: 'conflicting_profile', fields: ['email'] },
      [V(4)]: { reason: 'conflicting_profile', fields: ['email', 'firstName', 'lastName'] },
    });
    expect(resolution.guard).toBeUndefined();
    const c2 = resolution.targets.find((target) => target.id === C(2))!;
    expect(c2.evidence).toEqual([{ kind: 'visitor_conversation', matched: ['search#1', 'email#1'], visitor: V(1), via: ['message_search', 'profile_match'] }]);
    expect(resolution.targets.map((target) => target.id)).toEqual([C(1), C(2), C(3), C(4), C(5), C(6), V(1), V(2), V(3), V(4)]);
  });

  test('a profile reached by text whose e-mail is the request\u2019s is certain: its evidence says so', () => {
    const own = { ...ANONYMOUS, email: 'camille.perrin@example.fr', firstName: 'Someone', lastName: 'Else' };
    const resolution = judgeTargets(CAMILLE, reached([[C(1), V(1), [byName]]], [[V(1), own, [byName]]]), { maxVisitorsPerRequest: 5 });

    expect(heldOf(resolution.targets)).toEqual({});
    expect(resolution.targets[1]!.evidence).toEqual([byName, { kind: 'profile_match', matched: ['email#1'] }]);
  });

  test('named by id, or erased for the request by an earlier run: never held, whatever the profile says', () => {
    const other = { ...ANONYMOUS, email: 'marc.dubois@example.com' };
    const resolution = judgeTargets(
      CAMILLE,
      reached(
        [
          [C(1), V(1), [{ kind: 'named_by_id', matched: ['conversation_id#1'] }]],
          [C(2), V(2), [byName]],
        ],
        [
          [V(1), other, [{ kind: 'named_by_id', matched: ['conversation_id#1'] }]],
          [V(2), other, [byName, { kind: 'earlier_run', matched: [] }]],
        ],
      ),
      { maxVisitorsPerRequest: 5 },
    );

    expect(heldOf(resolution.targets)).toEqual({});
  });

  test('over the guard, only what message text alone reached is held; certain targets proceed', () => {
    const own = { ...ANONYMOUS, email: 'camille.perrin@example.fr' };
    const anonymousOnes: [string, VisitorProfile | null, Evidence[]][] = [2, 3, 4].map((n) => [V(n), ANONYMOUS, [byName]]);
    const resolution = judgeTargets(
      CAMILLE,
      reached(
        [
          [C(1), V(1), [ofVisitor(V(1))]],
          [C(2), V(2), [byName]],
          [C(9), null, [byName]],
        ],
        [[V(1), own, [{ kind: 'profile_match', matched: ['email#1'] }]], ...anonymousOnes],
      ),
      { maxVisitorsPerRequest: 3 },
    );

    expect(heldOf(resolution.targets)).toEqual({
      [C(2)]: { reason: 'over_visitor_guard' },
      [C(9)]: { reason: 'over_visitor_guard' },
      [V(2)]: { reason: 'over_visitor_guard' },
      [V(3)]: { reason: 'over_visitor_guard' },
      [V(4)]: { reason: 'over_visitor_guard' },
    });
    expect(resolution.guard).toEqual({ visitors: 4, limit: 3 });
  });

  test('conflicting visitors do not count towards the guard', () => {
    const neighbour = { ...ANONYMOUS, lastName: 'Dubois' };
    const resolution = judgeTargets(
      CAMILLE,
      reached(
        [],
        [
          [V(1), neighbour, [byName]],
          [V(2), neighbour, [byName]],
          [V(3), ANONYMOUS, [byName]],
        ],
      ),
      { maxVisitorsPerRequest: 1 },
    );

    expect(heldOf(resolution.targets)).toEqual({
      [V(1)]: expect.objectContaining({ reason: 'conflicting_profile' }),
      [V(2)]: expect.objectContaining({ reason: 'conflicting_profile' }),
    });
  });
});
