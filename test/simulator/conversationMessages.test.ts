import { describe, expect, test } from '@jest/globals';
import {
  ClosedConversationAnonymizeDocument,
  ClosedConversationsDocument,
  ConversationMessagesDocument,
  VisitorAnonymizeDocument,
} from '../../src/generated/graphql.js';
import type { DatasetConversation } from '../../src/simulator/dataset.js';
import { clientFor, lastThreeYears } from '../helpers/simulatorClient.js';
import { useSimulator } from '../helpers/simulatorWorkspace.js';

/** Conversation.messages (ASSUMED shape) as the simulator serves it, and the `applied_later` fault. */

const account = useSimulator();

/** A conversation of the fixture with more than one message and a visitor. */
function aConversation(): DatasetConversation & { visitorId: string } {
  const found = account.dataset.conversations.find(
    (conversation) => conversation.messages.length > 1 && conversation.visitorId !== null && !conversation.anonymized,
  );
  if (found === undefined) throw new Error('the fixture has no conversation with several messages');
  return found as DatasetConversation & { visitorId: string };
}

async function messagesOf(conversationId: string, first = 100, after?: string) {
  const result = await clientFor(account.simulator).request(ConversationMessagesDocument, {
    interval: lastThreeYears(),
    conversationId,
    first,
    ...(after !== undefined ? { after } : {}),
  });
  return result.closedConversations.edges[0]?.node.conversation.messages;
}

async function profileOf(visitorId: string) {
  const result = await clientFor(account.simulator).request(ClosedConversationsDocument, {
    interval: lastThreeYears(),
    filters: { conversationVisitorIds: [visitorId] },
    first: 1,
  });
  return result.closedConversations.edges[0]?.node.conversation.visitor;
}

describe('Conversation.messages', () => {
  test('lists the messages oldest first, with their authors by type, paged by first/after', async () => {
    const conversation = aConversation();
    const all = await messagesOf(conversation.id);

    expect(all?.edges.map((edge) => edge.node.text)).toEqual(conversation.messages.map((message) => message.text || null));
    const authorTypes = { visitor: 'VisitorMessageAuthor', operator: 'OperatorMessageAuthor', system: 'SystemMessageAuthor' };
    expect(all?.edges.map((edge) => edge.node.author?.__typename)).toEqual(conversation.messages.map((message) => authorTypes[message.author]));
    const times = all!.edges.map((edge) => Date.parse(edge.node.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const firstPage = await messagesOf(conversation.id, 1);
    expect(firstPage?.edges.map((edge) => edge.node.id)).toEqual([all!.edges[0]!.node.id]);
    expect(firstPage?.pageInfo.hasNextPage).toBe(true);
    const secondPage = await messagesOf(conversation.id, 1, firstPage!.pageInfo.endCursor!);
    expect(secondPage?.edges.map((edge) => edge.node.id)).toEqual([all!.edges[1]!.node.id]);
  });

  test('none is left once the conversation is anonymized', async () => {
    const conversation = aConversation();
    await clientFor(account.simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId: conversation.id } });

    const left = await messagesOf(conversation.id);

    expect(left?.edges).toEqual([]);
    expect(left?.pageInfo.hasNextPage).toBe(false);
  });
});

describe('the applied_later fault', () => {
  test('the mutations answer success and change nothing until applyDeferred()', async () => {
    const conversation = aConversation();
    account.simulator.faults.script(
      { kind: 'applied_later', operationName: 'ClosedConversationAnonymize' },
      { kind: 'applied_later', operationName: 'VisitorAnonymize' },
    );

    const conversationAnswer = await clientFor(account.simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId: conversation.id } });
    const visitorAnswer = await clientFor(account.simulator).request(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id: conversation.visitorId } });

    expect(conversationAnswer.closedConversationAnonymize?.succeeded).toBe(true);
    expect(visitorAnswer.visitorAnonymize?.visitor?.id).toBe(conversation.visitorId);
    expect(account.simulator.mutationCalls.map((call) => call.result)).toEqual(['deferred', 'deferred']);
    expect((await messagesOf(conversation.id))?.edges).toHaveLength(conversation.messages.length);
    const before = await profileOf(conversation.visitorId);
    expect([before?.email, before?.phoneNumber, before?.firstName, before?.lastName].some((field) => field != null)).toBe(true);
    expect(account.simulator.store.pendingDeferred).toBe(2);

    expect(account.simulator.store.applyDeferred()).toBe(2);

    expect((await messagesOf(conversation.id))?.edges).toEqual([]);
    expect(await profileOf(conversation.visitorId)).toEqual({ id: conversation.visitorId, email: null, phoneNumber: null, firstName: null, lastName: null });
    expect(account.simulator.store.pendingDeferred).toBe(0);
  });
});
