import type { IadvizeClient } from '../api/iadvizeClient.js';
import type {
  ClosedConversationsQuery,
  Interval,
  ResolutionSearchesQuery,
  ResolutionSearchesQueryVariables,
  VisitorProfileFragment,
  VisitorsQuery,
} from '../generated/graphql.js';
import { PAGE_SIZE, listAllPages } from './listAllPages.js';

type ConversationPage = ClosedConversationsQuery['closedConversations'];
type VisitorPage = VisitorsQuery['visitors'];
export type ConversationNode = ConversationPage['edges'][number]['node'];

/** How many of each lookup one ResolutionSearches call carries (its aliases in graphql/operations/). */
export const SEARCHES_PER_CALL = 8;
export const LOOKUPS_PER_CALL = 4;

export interface FirstRoundLookups {
  /** Each a message search of its own. */
  texts: readonly string[];
  /** Each an e-mail lookup of `visitors` in one project. */
  emails: readonly { projectId: number; email: string }[];
  /** Each a phone lookup (E.164) of `visitors` in one project. */
  phones: readonly { projectId: number; phoneNumber: string }[];
}

export interface FirstRoundResults {
  /** Every conversation each text search found, in the order of `texts`. */
  texts: ConversationNode[][];
  emails: VisitorProfileFragment[][];
  phones: VisitorProfileFragment[][];
}

/**
 * A request's searches that do not depend on one another: its message searches and its visitor
 * lookups, each its own aliased field, up to SEARCHES_PER_CALL and LOOKUPS_PER_CALL a call. A
 * person named by e-mail and phone asks for about ten of them (the phone's six spellings among
 * them): one call instead of ten, so fewer round trips before the first mutation and fewer calls
 * against the account's budget. A field with more than one page goes on with the single
 * operations (ClosedConversations, Visitors) from its cursor.
 */
export async function firstRound(client: IadvizeClient, interval: Interval, projectIds: number[], lookups: FirstRoundLookups): Promise<FirstRoundResults> {
  const calls = Math.max(
    Math.ceil(lookups.texts.length / SEARCHES_PER_CALL),
    Math.ceil(lookups.emails.length / LOOKUPS_PER_CALL),
    Math.ceil(lookups.phones.length / LOOKUPS_PER_CALL),
  );
  const batches = await Promise.all(
    Array.from({ length: calls }, async (_, call) => {
      const texts = lookups.texts.slice(call * SEARCHES_PER_CALL, (call + 1) * SEARCHES_PER_CALL);
      const emails = lookups.emails.slice(call * LOOKUPS_PER_CALL, (call + 1) * LOOKUPS_PER_CALL);
      const phones = lookups.phones.slice(call * LOOKUPS_PER_CALL, (call + 1) * LOOKUPS_PER_CALL);
      const answer = await client.resolutionSearches(variablesOf(interval, projectIds, texts, emails, phones));
      const textPages = texts.map((text, slot) =>
        listAllPages(
          (after) => client.closedConversations({ interval, filters: { projectIds, messagesSearches: [text] }, first: PAGE_SIZE, after }),
          slotOf<ConversationPage>(answer, `text${slot}`),
        ),
      );
      const emailPages = emails.map(({ projectId, email }, slot) =>
        listAllPages((after) => client.visitors({ projectId, email, first: PAGE_SIZE, after }), slotOf<VisitorPage>(answer, `email${slot}`)),
      );
      const phonePages = phones.map(({ projectId, phoneNumber }, slot) =>
        listAllPages((after) => client.visitors({ projectId, phoneNumber, first: PAGE_SIZE, after }), slotOf<VisitorPage>(answer, `phone${slot}`)),
      );
      // One Promise.all over all three: awaited one after another, a failure of the first would
      // leave the others' rejections unhandled, which ends the process.
      const [textNodes, emailNodes, phoneNodes] = await Promise.all([Promise.all(textPages), Promise.all(emailPages), Promise.all(phonePages)]);
      return { texts: textNodes, emails: emailNodes, phones: phoneNodes };
    }),
  );
  return {
    texts: batches.flatMap((batch) => batch.texts),
    emails: batches.flatMap((batch) => batch.emails),
    phones: batches.flatMap((batch) => batch.phones),
  };
}

function variablesOf(
  interval: Interval,
  projectIds: number[],
  texts: readonly string[],
  emails: FirstRoundLookups['emails'],
  phones: FirstRoundLookups['phones'],
): ResolutionSearchesQueryVariables {
  const variables: Record<string, unknown> = { interval, projectIds, first: PAGE_SIZE };
  texts.forEach((text, slot) => Object.assign(variables, { [`text${slot}`]: text, [`withText${slot}`]: true }));
  emails.forEach(({ projectId, email }, slot) =>
    Object.assign(variables, { [`email${slot}`]: email, [`emailProject${slot}`]: projectId, [`withEmail${slot}`]: true }),
  );
  phones.forEach(({ projectId, phoneNumber }, slot) =>
    Object.assign(variables, { [`phone${slot}`]: phoneNumber, [`phoneProject${slot}`]: projectId, [`withPhone${slot}`]: true }),
  );
  return variables as ResolutionSearchesQueryVariables;
}

/** The answer's field for an included slot: the client checked that it is there and is a page. */
function slotOf<P>(answer: ResolutionSearchesQuery, field: string): P {
  return (answer as Record<string, unknown>)[field] as P;
}
