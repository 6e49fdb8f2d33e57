import { describe, expect, test } from '@jest/globals';
import { PersonLinks } from '../../src/run/personLinks.js';
import { withSharedTargets } from '../../src/resolve/withSharedTargets.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('PersonLinks and withSharedTargets', () => {
  test("a second request for the same person is credited with the first's targets, from the ledger or this run", () => {
    const credited: Record<string, { kind: 'conversation' | 'visitor'; id: string }[]> = {
      OLD: [{ kind: 'visitor', id: V(1) }],
      NOW: [{ kind: 'conversation', id: C(2) }],
    };
    const links = new PersonLinks(new Map([['dA', ['OLD']]]), (requestId) => credited[requestId] ?? []);
    links.register('NOW', { 'email#1': 'dA', 'phone#1': 'dB' });

    const shared = links.shared('LATER', { 'phone#1': 'dB', 'email#1': 'dA' });

    expect(shared.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { kind: 'conversation', id: C(2), request: 'NOW', label: 'phone#1' },
      { kind: 'visitor', id: V(1), request: 'OLD', label: 'email#1' },
    ]);
    expect(links.shared('NOW', { 'email#1': 'dA', 'phone#1': 'dB' })).toEqual([{ kind: 'visitor', id: V(1), request: 'OLD', label: 'email#1' }]);
  });

  test('shared targets join the resolution as certain: new ones added, known ones get the evidence and lose any hold', () => {
    const resolution = {
      targets: [
        {
          kind: 'conversation' as const,
          id: C(3),
          evidence: [{ kind: 'message_search' as const, matched: ['search#1'] }],
          held: { reason: 'over_visitor_guard' as const },
        },
        { kind: 'visitor' as const, id: V(2), evidence: [{ kind: 'profile_match' as const, matched: ['email#1'] }] },
      ],
    };

    const merged = withSharedTargets(resolution, [
      { kind: 'visitor', id: V(1), request: 'T-1', label: 'email#1' },
      { kind: 'conversation', id: C(3), request: 'T-1', label: 'email#1' },
    ]);

    expect(merged.targets).toEqual([
      {
        kind: 'conversation',
        id: C(3),
        evidence: [
          { kind: 'message_search', matched: ['search#1'] },
          { kind: 'other_request', matched: ['email#1'], request: 'T-1' },
        ],
      },
      { kind: 'visitor', id: V(1), evidence: [{ kind: 'other_request', matched: ['email#1'], request: 'T-1' }] },
      { kind: 'visitor', id: V(2), evidence: [{ kind: 'profile_match', matched: ['email#1'] }] },
    ]);
  });
});
