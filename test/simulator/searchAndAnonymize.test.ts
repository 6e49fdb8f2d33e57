import { describe, expect, test } from '@jest/globals';
import {
  ClosedConversationAnonymizeDocument,
  ClosedConversationsDocument,
  VisitorAnonymizeDocument,
  VisitorsDocument,
  type ClosedConversationFilters,
} from '../../src/generated/graphql.js';
import { PROJECT_FR, PROJECT_UK, clientErrorOf, clientFor, lastThreeYears } from '../helpers/simulatorClient.js';
import { useSimulator } from '../helpers/simulatorWorkspace.js';

const account = useSimulator();

function visitorIdByEmail(email: string, projectId: number): string {
  const visitor = account.dataset.visitors.find((candidate) => candidate.email === email && candidate.projectId === projectId);
  if (visitor === undefined) throw new Error(`fixture has no visitor ${email} in ${projectId}`);
  return visitor.id;
}

async function conversationIds(filters: ClosedConversationFilters, interval = lastThreeYears()): Promise<string[]> {
  const result = await clientFor(account.simulator).request(ClosedConversationsDocument, { interval, filters, first: 100 });
  expect(result.closedConversations.pageInfo.hasNextPage).toBe(false);
  return result.closedConversations.edges.map((edge) => edge.node.conversation.id);
}

async function visitorIds(projectId: number, search: { email?: string; phoneNumber?: string }): Promise<string[]> {
  const result = await clientFor(account.simulator).request(VisitorsDocument, { projectId, ...search });
  return result.visitors.edges.map((edge) => edge.node.id);
}

async function anonymizeConversation(conversationId: string) {
  return clientFor(account.simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId } });
}

describe('messagesSearches', () => {
  test('finds the conversations whose messages contain the string, whatever its case', async () => {
    const found = await conversationIds({ messagesSearches: ['BRUNO.KELLER@example.net'] });

    const expected = account.dataset.conversations
      .filter((conversation) => conversation.messages.some((message) => message.text.includes('bruno.keller@example.net')))
      .map((conversation) => conversation.id);
    expect(expected).toHaveLength(1);
    expect(found).toEqual(expected);
  });

  test('a list of strings matches conversations containing any of them', async () => {
    const alice = await conversationIds({ messagesSearches: ['alice.marchetti@example.com'] });
    const zoe = await conversationIds({ messagesSearches: ['Lefranc-Aubry'] });

    const either = await conversationIds({ messagesSearches: ['alice.marchetti@example.com', 'Lefranc-Aubry'] });

    expect(alice).toHaveLength(1);
    expect(zoe).toHaveLength(1);
    expect(new Set(either)).toEqual(new Set([...alice, ...zoe]));
  });

  test('a word common to many chats reaches many visitors (what the over-match guard is for)', async () => {
    const result = await clientFor(account.simulator).request(ClosedConversationsDocument, {
      interval: lastThreeYears(),
      filters: { messagesSearches: ['livraison'] },
      first: 100,
    });

    const visitors = new Set(result.closedConversations.edges.map((edge) => edge.node.conversation.visitor?.id));
    expect(visitors.size).toBeGreaterThan(5);
  });

  test('only conversations inside the interval are returned', async () => {
    const aliceFr = visitorIdByEmail('alice.marchetti@example.com', PROJECT_FR);
    const allTime = { from: '1990-01-01T00:00:00Z', to: new Date().toISOString() };

    const withinThreeYears = await conversationIds({ conversationVisitorIds: [aliceFr] });
    const ever = await conversationIds({ conversationVisitorIds: [aliceFr] }, allTime);

    expect(ever.length).toBe(withinThreeYears.length + 1);
  });

  test('projectIds restricts the search, and an inaccessible project is PERMISSION_DENIED', async () => {
    const inFrance = await conversationIds({ messagesSearches: ['parcel'], projectIds: [PROJECT_FR] });
    const inUk = await conversationIds({ messagesSearches: ['parcel'], projectIds: [PROJECT_UK] });
    const error = await clientErrorOf(conversationIds({ projectIds: [1] }));

    expect(inFrance).toEqual([]);
    expect(inUk).toHaveLength(1);
    expect(error.response.errors?.[0]?.extensions?.name).toBe('PERMISSION_DENIED');
  });

  test("an interval whose 'from' is after its 'to' is INVALID_ARGUMENT", async () => {
    const error = await clientErrorOf(conversationIds({}, { from: '2025-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }));

    expect(error.response.errors?.[0]?.extensions?.name).toBe('INVALID_ARGUMENT');
  });

  test('a conversation whose visitor profile was dropped has a null visitor', async () => {
    const result = await clientFor(account.simulator).request(ClosedConversationsDocument, {
      interval: lastThreeYears(),
      filters: { messagesSearches: ['Just browsing'] },
    });

    expect(result.closedConversations.edges.map((edge) => edge.node.conversation.visitor)).toEqual([null]);
  });
});

describe('visitors', () => {
  test('one e-mail can have a profile in each project; the search is per project', async () => {
    const email = 'alice.marchetti@example.com';

    expect(await visitorIds(PROJECT_FR, { email: 'Alice.Marchetti@EXAMPLE.com' })).toEqual([visitorIdByEmail(email, PROJECT_FR)]);
    expect(await visitorIds(PROJECT_UK, { email })).toEqual([visitorIdByEmail(email, PROJECT_UK)]);
  });

  test('a phone number finds its visitor by exact E.164 match', async () => {
    const dmitri = account.dataset.visitors.find((visitor) => visitor.phoneNumber === '+447700900123');

    expect(await visitorIds(PROJECT_UK, { phoneNumber: '+447700900123' })).toEqual([dmitri?.id]);
    expect(await visitorIds(PROJECT_UK, { phoneNumber: '07700 900123' })).toEqual([]);
  });
});

describe('anonymizing a conversation', () => {
  test('deletes its messages and custom data but keeps it: still listed under its visitor, no longer found by text', async () => {
    const aliceFr = visitorIdByEmail('alice.marchetti@example.com', PROJECT_FR);
    const [target] = await conversationIds({ messagesSearches: ['alice.marchetti@example.com'] });
    const underVisitorBefore = await conversationIds({ conversationVisitorIds: [aliceFr] });

    const answer = await anonymizeConversation(target!);

    expect(answer.closedConversationAnonymize).toEqual({ conversation: { id: target }, succeeded: true });
    expect(await conversationIds({ messagesSearches: ['alice.marchetti@example.com'] })).toEqual([]);
    expect(await conversationIds({ conversationVisitorIds: [aliceFr] })).toEqual(underVisitorBefore);
    expect(await conversationIds({ conversationId: target! })).toEqual([target]);
    const stored = account.simulator.store.conversations.get(target!);
    expect(stored?.messages).toEqual([]);
    expect(stored?.customData).toEqual({});
  });

  test('leaves the other conversations of the same visitor searchable', async () => {
    const [target] = await conversationIds({ messagesSearches: ['alice.marchetti@example.com'] });
    const sameVisitorOther = await conversationIds({ messagesSearches: ["changer l'adresse de livraison"] });

    await anonymizeConversation(target!);

    expect(await conversationIds({ messagesSearches: ["changer l'adresse de livraison"] })).toEqual(sameVisitorOther);
    expect(sameVisitorOther).toHaveLength(1);
  });

  test('a conversation anonymized before the simulator started answers NOT_FOUND and is still listed', async () => {
    const preAnonymized = account.dataset.conversations.find((conversation) => conversation.anonymized === true)!;

    const error = await clientErrorOf(anonymizeConversation(preAnonymized.id));

    expect(error.response.errors?.[0]?.extensions?.name).toBe('NOT_FOUND');
    expect(await conversationIds({ conversationVisitorIds: [preAnonymized.visitorId!] })).toContain(preAnonymized.id);
    expect(account.simulator.mutationCalls).toEqual([
      { field: 'closedConversationAnonymize', targetId: preAnonymized.id, result: 'not_found', answered: true },
    ]);
  });
});

describe('anonymizing a visitor', () => {
  test('clears its personal fields: no longer found by e-mail or phone; its id and conversations remain', async () => {
    const email = 'chloe.roussel@example.org';
    const chloe = visitorIdByEmail(email, PROJECT_FR);
    const conversationsBefore = await conversationIds({ conversationVisitorIds: [chloe] });

    const answer = await clientFor(account.simulator).request(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id: chloe } });

    expect(answer).toEqual({ visitorAnonymize: { visitor: { id: chloe } } });
    expect(await visitorIds(PROJECT_FR, { email })).toEqual([]);
    expect(await visitorIds(PROJECT_FR, { phoneNumber: '+33639980103' })).toEqual([]);
    expect(await conversationIds({ conversationVisitorIds: [chloe] })).toEqual(conversationsBefore);
    expect(account.simulator.store.visitors.get(chloe)).toMatchObject({
      firstName: null,
      lastName: null,
      email: null,
      phoneNumber: null,
      customData: {},
      anonymized: true,
    });
  });

  test('does not touch the same person’s profile in another project', async () => {
    const email = 'alice.marchetti@example.com';

    await clientFor(account.simulator).request(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id: visitorIdByEmail(email, PROJECT_FR) } });

    expect(await visitorIds(PROJECT_FR, { email })).toEqual([]);
    expect(await visitorIds(PROJECT_UK, { email })).toEqual([visitorIdByEmail(email, PROJECT_UK)]);
  });
});
