import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { PAGE_SIZE, listAllPages } from '../resolve/listAllPages.js';
import { searchTextsOf } from '../resolve/searchTexts.js';

export interface FindRemainingContext {
  client: IadvizeClient;
  interval: { from: string; to: string };
  projectIds: number[];
}

export interface Remaining {
  conversationIds: string[];
  visitorIds: string[];
}

/**
 * What still matches a request once it is erased: conversations whose messages contain one of the
 * texts the run searched, and visitors found by one of its e-mails or phones in any project.
 * Conversations and visitors named by id are not looked up: an anonymized one is still listed by
 * id, so finding it would prove nothing. Queries only; never a mutation.
 */
export async function findRemaining(request: PersonRequest, context: FindRemainingContext): Promise<Remaining> {
  const { client, interval, projectIds } = context;
  const [byText, byEmail, byPhone] = await Promise.all([
    Promise.all(
      searchTextsOf(request).map(({ text }) =>
        listAllPages((after) => client.closedConversations({ interval, filters: { projectIds, messagesSearches: [text] }, first: PAGE_SIZE, after })),
      ),
    ),
    Promise.all(
      projectIds.flatMap((projectId) => request.emails.map((email) => listAllPages((after) => client.visitors({ projectId, email, first: PAGE_SIZE, after })))),
    ),
    Promise.all(
      projectIds.flatMap((projectId) =>
        request.phones.map((phoneNumber) => listAllPages((after) => client.visitors({ projectId, phoneNumber, first: PAGE_SIZE, after }))),
      ),
    ),
  ]);
  const conversationIds = new Set(byText.flat().map((node) => node.conversation.id));
  const visitorIds = new Set([...byEmail.flat(), ...byPhone.flat()].map((node) => node.id));
  return { conversationIds: [...conversationIds].sort(), visitorIds: [...visitorIds].sort() };
}

/** Whether the request holds anything verify can look for. */
export function hasSearchableIdentifiers(request: PersonRequest): boolean {
  return searchTextsOf(request).length > 0;
}
