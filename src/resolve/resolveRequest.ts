import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { Interval } from '../generated/graphql.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { PAGE_SIZE, listAllPages } from './listAllPages.js';
import { searchTextsOf } from './searchTextsOf.js';

export interface ResolveContext {
  client: IadvizeClient;
  interval: Interval;
  /** The projects to search; visitors are looked up in each. */
  projectIds: number[];
}

/** Everything found for one person: the targets to anonymize. */
export interface Resolution {
  conversationIds: string[];
  visitorIds: string[];
}

// A conversation named by id is looked up whatever its age, to find its visitor.
const EARLIEST = '2000-01-01T00:00:00Z';
// Keeps each conversationVisitorIds filter, and so each request body, small.
const VISITORS_PER_QUERY = 50;

/**
 * DESIGN.md "Resolution": (1) conversations named, and those whose messages contain any of the
 * request's texts; (2) visitors named, found by e-mail or phone in every project, and the
 * visitor of each conversation of (1); (3) every conversation of each visitor of (2).
 * Each text is its own search, so the result does not depend on how the API combines a list.
 */
export async function resolveRequest(request: PersonRequest, context: ResolveContext): Promise<Resolution> {
  const { client, interval, projectIds } = context;
  const filters = { projectIds };
  const texts = searchTextsOf(request);

  const [named, searched, visitorsByEmail, visitorsByPhone] = await Promise.all([
    Promise.all(
      request.conversationIds.map((conversationId) =>
        listAllPages((after) =>
          client.closedConversations({ interval: { from: EARLIEST, to: interval.to }, filters: { ...filters, conversationId }, first: PAGE_SIZE, after }),
        ),
      ),
    ),
    Promise.all(
      texts.map((text) =>
        listAllPages((after) => client.closedConversations({ interval, filters: { ...filters, messagesSearches: [text] }, first: PAGE_SIZE, after })),
      ),
    ),
    Promise.all(
      projectIds.flatMap((projectId) =>
        request.emails.map((email) => listAllPages((after) => client.visitors({ projectId, email, first: PAGE_SIZE, after }))),
      ),
    ),
    Promise.all(
      projectIds.flatMap((projectId) =>
        request.phones.map((phoneNumber) => listAllPages((after) => client.visitors({ projectId, phoneNumber, first: PAGE_SIZE, after }))),
      ),
    ),
  ]);

  const conversations = new Set(request.conversationIds);
  const visitors = new Set(request.visitorIds);
  for (const node of [...named.flat(), ...searched.flat()]) {
    conversations.add(node.conversation.id);
    if (node.conversation.visitor) visitors.add(node.conversation.visitor.id);
  }
  for (const node of [...visitorsByEmail.flat(), ...visitorsByPhone.flat()]) visitors.add(node.id);

  const visitorBatches = chunk([...visitors], VISITORS_PER_QUERY);
  const ofVisitors = await Promise.all(
    visitorBatches.map((conversationVisitorIds) =>
      listAllPages((after) => client.closedConversations({ interval, filters: { ...filters, conversationVisitorIds }, first: PAGE_SIZE, after })),
    ),
  );
  for (const node of ofVisitors.flat()) conversations.add(node.conversation.id);

  return { conversationIds: [...conversations].sort(), visitorIds: [...visitors].sort() };
}

function chunk<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}
