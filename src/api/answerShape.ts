import type {
  ClosedConversationAnonymizeMutation,
  ClosedConversationsQuery,
  ResolutionSearchesQuery,
  ResolutionSearchesQueryVariables,
  ConversationMessagesQuery,
  ReviewConversationQuery,
  ReviewVisitorQuery,
  VisitorAnonymizeMutation,
  VisitorsQuery,
  ProjectVisibleQuery,
} from '../generated/graphql.js';

/**
 * What an answer's `data` must look like for the typed operations (src/generated/graphql.ts): a
 * 200 without `data`, without the field, or with a wrong type is checked here, at the client's
 * boundary, so that nothing above it meets a shape its types do not allow.
 */
export type AnswerShape<T> = (value: unknown) => value is T;

type Check = (value: unknown) => boolean;

const string: Check = (value) => typeof value === 'string';
const boolean: Check = (value) => typeof value === 'boolean';
const nullable =
  (check: Check): Check =>
  (value) =>
    value === null || check(value);
const list =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check);
const object =
  (fields: Record<string, Check>): Check =>
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(fields).every(([name, check]) => check((value as Record<string, unknown>)[name]));

function shape<T>(fields: Record<string, Check>): AnswerShape<T> {
  const check = object(fields);
  return (value): value is T => check(value);
}

const visitorProfile = object({ id: string, email: nullable(string), phoneNumber: nullable(string), firstName: nullable(string), lastName: nullable(string) });
const pageInfo = object({ endCursor: nullable(string), hasNextPage: boolean });

const visitorPage = object({ edges: list(object({ node: visitorProfile })), pageInfo });
const conversationPage = object({
  edges: list(object({ node: object({ conversation: object({ id: string, visitor: nullable(visitorProfile) }) }) })),
  pageInfo,
});

export const VISITORS_SHAPE = shape<VisitorsQuery>({ visitors: visitorPage });

export const PROJECT_VISIBLE_SHAPE = shape<ProjectVisibleQuery>({ visitors: object({ pageInfo: object({ hasNextPage: boolean }) }) });

export const CLOSED_CONVERSATIONS_SHAPE = shape<ClosedConversationsQuery>({ closedConversations: conversationPage });

/** ResolutionSearches: a page under every alias the call included (its with* flag set). */
export function resolutionSearchesShape(variables: ResolutionSearchesQueryVariables): AnswerShape<ResolutionSearchesQuery> {
  const fields: Record<string, Check> = {};
  for (const [name, value] of Object.entries(variables)) {
    const slot = /^with(Text|Email|Phone)(\d+)$/.exec(name);
    if (slot === null || value !== true) continue;
    fields[`${slot[1]!.toLowerCase()}${slot[2]}`] = slot[1] === 'Text' ? conversationPage : visitorPage;
  }
  return shape<ResolutionSearchesQuery>(fields);
}

// Only what verify reads of a message: that it is there. Its fields are the ASSUMED ones (ConversationMessages.graphql).
const message = object({ id: string });

export const CONVERSATION_MESSAGES_SHAPE = shape<ConversationMessagesQuery>({
  closedConversations: object({
    edges: list(object({ node: object({ conversation: object({ id: string, messages: object({ edges: list(object({ node: message })), pageInfo }) }) }) })),
  }),
});

const number: Check = (value) => typeof value === 'number';
// What the review page shows of a message: its text is null for a system message (ASSUMED, ConversationMessages.graphql).
const shownMessage = object({ id: string, createdAt: string, text: nullable(string), author: nullable(object({ __typename: string })) });
const reviewedConversation = { id: string, createdAt: string, projectId: number, visitor: nullable(visitorProfile) };

export const REVIEW_CONVERSATION_SHAPE = shape<ReviewConversationQuery>({
  closedConversations: object({
    edges: list(
      object({
        node: object({ conversation: object({ ...reviewedConversation, messages: object({ edges: list(object({ node: shownMessage })), pageInfo }) }) }),
      }),
    ),
  }),
});

export const REVIEW_VISITOR_SHAPE = shape<ReviewVisitorQuery>({
  closedConversations: object({ edges: list(object({ node: object({ conversation: object(reviewedConversation) }) })), pageInfo }),
});

export const CLOSED_CONVERSATION_ANONYMIZE_SHAPE = shape<ClosedConversationAnonymizeMutation>({
  closedConversationAnonymize: nullable(object({ succeeded: nullable(boolean), conversation: nullable(object({ id: string })) })),
});

export const VISITOR_ANONYMIZE_SHAPE = shape<VisitorAnonymizeMutation>({
  visitorAnonymize: nullable(object({ visitor: nullable(object({ id: string })) })),
});
