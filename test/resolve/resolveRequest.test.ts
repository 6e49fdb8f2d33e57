import { describe, expect, test } from '@jest/globals';
import type { TargetName } from '../../src/ledger/targetTable.js';
import type { PersonRequest } from '../../src/requests/personRequest.js';
import type { JudgedTarget, Resolution } from '../../src/resolve/evidence.js';
import { resolveRequest, type ResolveContext } from '../../src/resolve/resolveRequest.js';
import { ScriptedClient, type ScriptedAccount, type ScriptedConversation, type ScriptedVisitor } from '../helpers/scriptedClient.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROJECT_A = 101;
const PROJECT_B = 202;
const INTERVAL = { from: '2023-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
const IN_INTERVAL = '2025-06-01T10:00:00Z';
const BEFORE_INTERVAL = '2021-06-01T10:00:00Z';

const CAMILLE: PersonRequest = {
  requestId: 'R1',
  source: { file: 'requests.csv', line: 2 },
  emails: ['camille.perrin@example.fr'],
  phones: ['+33612345678'],
  searches: ['Camille Perrin'],
  conversationIds: [],
  visitorIds: [],
};

function visitor(n: number, projectId: number, profile: Partial<Omit<ScriptedVisitor, 'id' | 'projectId'>> = {}): ScriptedVisitor {
  return { id: V(n), projectId, email: null, phoneNumber: null, firstName: null, lastName: null, ...profile };
}

function conversation(
  n: number,
  visitorN: number | null,
  messages: string[] = ['Bonjour'],
  createdAt = IN_INTERVAL,
  projectId = PROJECT_A,
): ScriptedConversation {
  return { id: C(n), projectId, visitorId: visitorN === null ? null : V(visitorN), createdAt, messages };
}

/**
 * Camille's own profile in project A (by e-mail) and one in project B (by phone); a visitor whose
 * chat gives her phone as people write it; a visitor whose chat names her but whose profile is
 * someone else's; a stranger; and a chat of hers older than the interval.
 */
const ACCOUNT: ScriptedAccount = {
  visitors: [
    visitor(1, PROJECT_A, { email: 'camille.perrin@example.fr', firstName: 'Camille', lastName: 'Perrin' }),
    visitor(2, PROJECT_B, { phoneNumber: '+33612345678' }),
    visitor(3, PROJECT_A),
    visitor(4, PROJECT_A, { email: 'marc.dubois@example.com' }),
    visitor(5, PROJECT_A, { email: 'stranger@example.org' }),
  ],
  conversations: [
    conversation(1, 1),
    conversation(2, 3, ['Rappelez-moi au 06 12 34 56 78']),
    conversation(3, 3),
    conversation(4, 4, ['Je suis camille perrin']),
    conversation(5, 4),
    conversation(6, 5),
    conversation(7, 1, ['Bonjour'], BEFORE_INTERVAL),
    conversation(8, 2, ['Bonjour'], IN_INTERVAL, PROJECT_B),
  ],
};

function contextOf(client: ScriptedClient, changes: Partial<ResolveContext> = {}): ResolveContext {
  return { client: client.asClient(), interval: INTERVAL, projectIds: [PROJECT_A, PROJECT_B], maxVisitorsPerRequest: 5, ...changes };
}

async function resolve(request: PersonRequest, account: ScriptedAccount = ACCOUNT, changes: Partial<ResolveContext> = {}, earlier: TargetName[] = []) {
  const client = new ScriptedClient(account);
  const resolution = await resolveRequest(request, contextOf(client, changes), earlier);
  return { client, resolution };
}

/** Each target's evidence kinds, by id. */
function evidenceKinds(resolution: Resolution): Record<string, string[]> {
  return Object.fromEntries(resolution.targets.map((target) => [target.id, target.evidence.map((evidence) => evidence.kind).sort()]));
}

function heldOf(targets: readonly JudgedTarget[]): Record<string, JudgedTarget['held']> {
  return Object.fromEntries(targets.filter((target) => target.held !== undefined).map((target) => [target.id, target.held]));
}

describe('resolveRequest against a scripted account', () => {
  test('reaches her profiles, the chats naming her, their visitors and every chat of those visitors; nothing else', async () => {
    const { resolution } = await resolve(CAMILLE);

    expect(evidenceKinds(resolution)).toEqual({
      [C(1)]: ['visitor_conversation'],
      [C(2)]: ['message_identifier', 'visitor_conversation'],
      [C(3)]: ['visitor_conversation'],
      [C(4)]: ['message_search', 'visitor_conversation'],
      [C(5)]: ['visitor_conversation'],
      [C(8)]: ['visitor_conversation'],
      [V(1)]: ['profile_match'],
      [V(2)]: ['profile_match'],
      [V(3)]: ['message_identifier'],
      [V(4)]: ['message_search'],
    });
    // conversations first, each kind in id order
    expect(resolution.targets.map((target) => target.id)).toEqual([C(1), C(2), C(3), C(4), C(5), C(8), V(1), V(2), V(3), V(4)]);
  });

  test('evidence names which of her identifiers matched, by position, never by value', async () => {
    const { resolution } = await resolve(CAMILLE);
    const matched = Object.fromEntries(resolution.targets.map((target) => [target.id, target.evidence.flatMap((evidence) => evidence.matched)]));

    expect(matched[V(1)]).toEqual(['email#1']);
    expect(matched[V(2)]).toEqual(['phone#1']);
    expect(matched[C(2)]).toEqual(expect.arrayContaining(['phone#1']));
    expect(matched[C(4)]).toEqual(expect.arrayContaining(['search#1']));
    expect(JSON.stringify(resolution)).not.toMatch(/camille|perrin|example|\+33|06 12/i);
  });

  test('a visitor reached only through text whose profile is someone else is held, with its chats; an anonymous one is not', async () => {
    const { resolution } = await resolve(CAMILLE);

    expect(heldOf(resolution.targets)).toEqual({
      [C(4)]: { reason: 'conflicting_profile', visitor: V(4) },
      [C(5)]: { reason: 'conflicting_profile', visitor: V(4) },
      [V(4)]: { reason: 'conflicting_profile', fields: ['email'] },
    });
    expect(resolution.guard).toBeUndefined();
  });

  test('visitors are looked up by each e-mail and each phone in every configured project', async () => {
    const request = { ...CAMILLE, emails: ['camille.perrin@example.fr', 'cp@example.fr'] };
    const { client } = await resolve(request);
    const lookups = client.callsOf('visitors').map(({ variables }) => [variables.projectId, variables.email ?? variables.phoneNumber]);

    const projects = [PROJECT_A, PROJECT_B];
    const expected = projects.flatMap((projectId) => [...request.emails, ...request.phones].map((value) => [projectId, value]));
    expect(lookups).toHaveLength(expected.length);
    expect(lookups).toEqual(expect.arrayContaining(expected));
  });

  test('a conversation named by id is found whatever its age, and brings its visitor and that visitor’s chats', async () => {
    const request: PersonRequest = { ...CAMILLE, emails: [], phones: [], searches: [], conversationIds: [C(7)] };
    const { resolution } = await resolve(request);

    expect(evidenceKinds(resolution)).toEqual({
      [C(1)]: ['visitor_conversation'],
      [C(7)]: ['named_by_id'],
      [V(1)]: ['named_by_id'],
    });
    expect(resolution.targets.find((target) => target.id === C(7))!.evidence[0]!.matched).toEqual(['conversation_id#1']);
  });

  test('a visitor named by id brings its chats within the interval, and is erased whatever its profile says', async () => {
    const request: PersonRequest = { ...CAMILLE, emails: [], phones: [], searches: [], visitorIds: [V(5)] };
    const { resolution } = await resolve(request);

    expect(evidenceKinds(resolution)).toEqual({ [C(6)]: ['visitor_conversation'], [V(5)]: ['named_by_id'] });
    expect(heldOf(resolution.targets)).toEqual({});
  });

  test('what an earlier run credited to the request stays reached once it no longer matches a search', async () => {
    const request: PersonRequest = { ...CAMILLE, emails: [], phones: [], searches: ['nobody says this'] };
    const { resolution } = await resolve(request, ACCOUNT, {}, [{ kind: 'conversation', id: C(2) }]);

    expect(evidenceKinds(resolution)).toEqual({
      [C(2)]: ['earlier_run', 'visitor_conversation'],
      [C(3)]: ['visitor_conversation'],
      [V(3)]: ['earlier_run'],
    });
    expect(heldOf(resolution.targets)).toEqual({});
  });

  test('every page of every query is read: one node a page reaches what 100 a page reaches', async () => {
    const whole = await resolve(CAMILLE);
    const paged = await resolve(CAMILLE, { ...ACCOUNT, pageSize: 1 });

    expect(paged.resolution).toEqual(whole.resolution);
    expect(paged.client.calls.length).toBeGreaterThan(whole.client.calls.length);
    const follows = paged.client.calls.filter((call) => 'variables' in call && call.variables.after != null);
    expect(follows.length).toBeGreaterThan(0);
  });

  test('the chats of many visitors are asked for in batches, and none is missed', async () => {
    const count = 120;
    const account: ScriptedAccount = {
      visitors: Array.from({ length: count }, (_, i) => visitor(100 + i, PROJECT_A, { email: 'camille.perrin@example.fr' })),
      conversations: Array.from({ length: count }, (_, i) => conversation(100 + i, 100 + i)),
    };
    const { client, resolution } = await resolve(CAMILLE, account);

    const batches = client
      .callsOf('closedConversations')
      .flatMap(({ variables }) => (variables.filters?.conversationVisitorIds ? [variables.filters.conversationVisitorIds] : []));
    expect(batches.length).toBeGreaterThan(1);
    expect(new Set(batches.flat()).size).toBe(count);
    expect(resolution.targets.filter((target) => target.kind === 'conversation')).toHaveLength(count);
  });

  test('over the visitor guard, what text alone reached is held; her own profiles and their chats proceed', async () => {
    const strangers = [10, 11, 12];
    const account: ScriptedAccount = {
      visitors: [...ACCOUNT.visitors, ...strangers.map((n) => visitor(n, PROJECT_A))],
      conversations: [...ACCOUNT.conversations, ...strangers.map((n) => conversation(n, n, ['Camille Perrin, bonjour']))],
    };
    const maxVisitorsPerRequest = 4;
    const { resolution } = await resolve(CAMILLE, account, { maxVisitorsPerRequest });

    const held = heldOf(resolution.targets);
    const guarded = Object.keys(held).filter((id) => held[id]!.reason === 'over_visitor_guard');
    expect(guarded.sort()).toEqual([C(2), C(3), ...strangers.map(C), V(3), ...strangers.map(V)].sort());
    for (const certain of [C(1), C(8), V(1), V(2)]) expect(held[certain]).toBeUndefined();
    // the conflicting visitor stays held for its own reason, and is not counted against the guard
    expect(held[V(4)]?.reason).toBe('conflicting_profile');
    const visitorsLeft = resolution.targets.filter((target) => target.kind === 'visitor' && target.held?.reason !== 'conflicting_profile').length;
    expect(resolution.guard).toEqual({ visitors: visitorsLeft, limit: maxVisitorsPerRequest });
  });

  test('text searches stay within the interval and the configured projects', async () => {
    const { client } = await resolve(CAMILLE);
    const searches = client.callsOf('closedConversations').filter(({ variables }) => variables.filters?.messagesSearches !== undefined);

    expect(searches.length).toBeGreaterThan(0);
    for (const { variables } of searches) {
      expect(variables.interval).toEqual(INTERVAL);
      expect(variables.filters?.projectIds).toEqual([PROJECT_A, PROJECT_B]);
    }
  });
});
