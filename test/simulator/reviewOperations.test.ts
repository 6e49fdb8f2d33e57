import { describe, expect, test } from '@jest/globals';
import { ReviewConversationDocument, ReviewVisitorDocument } from '../../src/generated/graphql.js';
import { clientFor, lastThreeYears } from '../helpers/simulatorClient.js';
import { useSimulator } from '../helpers/simulatorWorkspace.js';

/** The review page's two operations (graphql/operations/Review*.graphql) as the simulator serves them, Conversation.createdAt and projectId (ASSUMED) included. */

const account = useSimulator();

describe('the review operations', () => {
  test("ReviewConversation: one conversation's start, project, visitor's profile and messages", async () => {
    const conversation = account.dataset.conversations.find(
      (candidate) => candidate.visitorId !== null && candidate.messages.length > 1 && !candidate.anonymized,
    )!;
    const visitor = account.dataset.visitors.find((candidate) => candidate.id === conversation.visitorId)!;

    const page = await clientFor(account.simulator).request(ReviewConversationDocument, {
      interval: lastThreeYears(),
      conversationId: conversation.id,
      first: 100,
    });

    const shown = page.closedConversations.edges[0]!.node.conversation;
    expect(shown).toMatchObject({ id: conversation.id, projectId: conversation.projectId, visitor: { id: visitor.id, email: visitor.email ?? null } });
    expect(Date.parse(shown.createdAt)).toBe(account.simulator.store.conversations.get(conversation.id)!.createdAtMs);
    expect(shown.messages.edges.map((edge) => edge.node.text)).toEqual(conversation.messages.map((message) => message.text || null));
  });

  test("ReviewVisitor: a visitor's closed conversations, each with its start, project and the visitor's profile", async () => {
    const visitor = account.dataset.visitors.find(
      (candidate) => account.dataset.conversations.filter((conversation) => conversation.visitorId === candidate.id).length > 2,
    )!;
    const interval = lastThreeYears();
    const inInterval = (id: string) => account.simulator.store.conversations.get(id)!.createdAtMs >= Date.parse(interval.from);
    const own = account.dataset.conversations.filter((conversation) => conversation.visitorId === visitor.id && inInterval(conversation.id));

    const page = await clientFor(account.simulator).request(ReviewVisitorDocument, { interval, visitorId: visitor.id, first: 100 });

    const conversations = page.closedConversations.edges.map((edge) => edge.node.conversation);
    expect(conversations.map((conversation) => conversation.id).sort()).toEqual(own.map((conversation) => conversation.id).sort());
    for (const conversation of conversations) {
      expect(conversation.visitor?.id).toBe(visitor.id);
      expect(conversation.projectId).toBe(own.find((candidate) => candidate.id === conversation.id)!.projectId);
      expect(Date.parse(conversation.createdAt)).toBe(account.simulator.store.conversations.get(conversation.id)!.createdAtMs);
    }
  });
});
