import type {
  ClosedConversationAnonymizeMutationVariables,
  ClosedConversationsQueryVariables,
  VisitorAnonymizeMutationVariables,
  VisitorsQueryVariables,
} from '../generated/graphql.js';
import type { AccountStore, StoredConversation, StoredVisitor } from './accountStore.js';
import { conversationNotFound, invalidArgument, permissionDenied, temporarilyUnavailable, visitorNotFound } from './apiErrors.js';
import type { DatasetUser } from './dataset.js';
import { AFTER_COMMIT_FAULTS, type FaultKind } from './faultPlan.js';
import { paginate } from './paginate.js';

export interface MutationCall {
  field: 'closedConversationAnonymize' | 'visitorAnonymize';
  /** The id as sent. */
  targetId: string;
  /**
   * `not_applied`: answered as done, changed nothing (the `acknowledged_not_applied` fault);
   * `deferred`: answered as done, changed once the store's applyDeferred() is called (`applied_later`).
   */
  result: 'anonymized' | 'already_anonymized' | 'not_found' | 'permission_denied' | 'not_applied' | 'deferred';
  /** False when a fault after the commit kept the answer from the client. */
  answered: boolean;
}

export interface RequestContext {
  store: AccountStore;
  user: DatasetUser;
  fault: FaultKind | null;
  visitorReanonymize: 'not_found' | 'success';
  recordMutation: (call: MutationCall) => void;
}

/** The four root fields, as graphql-js calls them on the root value: (args, context). */
export const rootResolvers = {
  closedConversations(args: ClosedConversationsQueryVariables, context: RequestContext) {
    failIfFaulted(context);
    const fromMs = Date.parse(args.interval.from);
    const toMs = Date.parse(args.interval.to);
    if (fromMs > toMs) throw invalidArgument(`Argument 'interval': 'from' must not be after 'to'`);
    const projectIds = args.filters?.projectIds ?? context.user.projectIds;
    for (const projectId of projectIds) requireProject(context, projectId);
    const found = context.store.findConversations({
      fromMs,
      toMs,
      projectIds,
      messagesSearches: args.filters?.messagesSearches,
      conversationId: args.filters?.conversationId,
      conversationVisitorIds: args.filters?.conversationVisitorIds,
    });
    const page = paginate(found, (conversation) => conversation.createdAtMs, args.first, args.after);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { conversation: conversationView(node, context.store) } })),
      pageInfo: page.pageInfo,
    };
  },

  visitors(args: VisitorsQueryVariables, context: RequestContext) {
    failIfFaulted(context);
    requireProject(context, args.projectId);
    const found = context.store.findVisitors({ projectId: args.projectId, email: args.email, phoneNumber: args.phoneNumber });
    const page = paginate(found, () => 0, args.first, args.after);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: profileView(node) })),
      pageInfo: page.pageInfo,
    };
  },

  closedConversationAnonymize(args: ClosedConversationAnonymizeMutationVariables, context: RequestContext) {
    failIfFaulted(context);
    const targetId = args.input.conversationId;
    const conversation = context.store.conversations.get(targetId.toLowerCase());
    const record = (result: MutationCall['result']) =>
      context.recordMutation({ field: 'closedConversationAnonymize', targetId, result, answered: isAnswered(context) });
    if (conversation !== undefined && !context.user.projectIds.includes(conversation.projectId)) {
      record('permission_denied');
      throw permissionDenied(`Conversation ${targetId} belongs to a project this account cannot access`);
    }
    if (conversation !== undefined && !conversation.anonymized && context.fault === 'acknowledged_not_applied') {
      record('not_applied');
      return { conversation: conversationView(conversation, context.store), succeeded: true };
    }
    if (conversation !== undefined && !conversation.anonymized && context.fault === 'applied_later') {
      context.store.deferAnonymization('conversation', conversation.id);
      record('deferred');
      return { conversation: conversationView(conversation, context.store), succeeded: true };
    }
    const result = context.store.anonymizeConversation(targetId);
    record(result);
    if (result === 'not_found' || conversation === undefined) throw conversationNotFound(targetId);
    return { conversation: conversationView(conversation, context.store), succeeded: true };
  },

  visitorAnonymize(args: VisitorAnonymizeMutationVariables, context: RequestContext) {
    failIfFaulted(context);
    const targetId = args.visitorAnonymizeInput.id;
    const visitor = context.store.visitors.get(targetId.toLowerCase());
    const record = (result: MutationCall['result']) => context.recordMutation({ field: 'visitorAnonymize', targetId, result, answered: isAnswered(context) });
    if (visitor !== undefined && !context.user.projectIds.includes(visitor.projectId)) {
      record('permission_denied');
      throw permissionDenied(`Visitor ${targetId} belongs to a project this account cannot access`);
    }
    if (visitor !== undefined && !visitor.anonymized && context.fault === 'acknowledged_not_applied') {
      record('not_applied');
      return { visitor: { id: visitor.id } };
    }
    if (visitor !== undefined && !visitor.anonymized && context.fault === 'applied_later') {
      context.store.deferAnonymization('visitor', visitor.id);
      record('deferred');
      return { visitor: { id: visitor.id } };
    }
    const result = context.store.anonymizeVisitor(targetId);
    record(result);
    if (result === 'not_found' || visitor === undefined) throw visitorNotFound(targetId);
    if (result === 'already_anonymized' && context.visitorReanonymize === 'not_found') throw visitorNotFound(targetId);
    return { visitor: { id: visitor.id } };
  },
};

function conversationView(conversation: StoredConversation, store: AccountStore) {
  const visitor = conversation.visitorId === null ? undefined : store.visitors.get(conversation.visitorId);
  return {
    id: conversation.id,
    // ASSUMED (graphql/schema.graphql): a conversation shows when it started and its project.
    createdAt: new Date(conversation.createdAtMs).toISOString(),
    projectId: conversation.projectId,
    visitor: visitor === undefined ? null : profileView(visitor),
    // graphql-js calls a function property with the field's arguments: pages are cut only when asked for
    messages: (args: { first?: number | null; after?: string | null }) => paginate(messageViews(conversation), () => 0, args.first, args.after),
  };
}

const AUTHOR_TYPES = { visitor: 'VisitorMessageAuthor', operator: 'OperatorMessageAuthor', system: 'SystemMessageAuthor' } as const;

/**
 * The messages as Conversation.messages serves them (its shape is ASSUMED: graphql/schema.graphql),
 * oldest first, a second apart from the conversation's start; none once it is anonymized.
 */
function messageViews(conversation: StoredConversation) {
  return conversation.messages.map((message, index) => ({
    // zero-padded, so that the ids sort in message order (paginate orders by id here)
    id: `${conversation.id}-${String(index).padStart(6, '0')}`,
    createdAt: new Date(conversation.createdAtMs + index * 1000).toISOString(),
    text: message.text === '' ? null : message.text,
    author: { __typename: AUTHOR_TYPES[message.author], id: message.author === 'system' ? null : `${message.author}-of-${conversation.id}` },
  }));
}

/** The profile as the API shows it: an anonymized one has its personal fields null. */
function profileView(visitor: StoredVisitor) {
  return { id: visitor.id, email: visitor.email, phoneNumber: visitor.phoneNumber, firstName: visitor.firstName, lastName: visitor.lastName };
}

function requireProject(context: RequestContext, projectId: number): void {
  if (!context.user.projectIds.includes(projectId)) {
    throw permissionDenied(`Project ${projectId} is not accessible to this account`);
  }
}

function failIfFaulted(context: RequestContext): void {
  if (context.fault === 'retryable_field_error') throw temporarilyUnavailable();
}

function isAnswered(context: RequestContext): boolean {
  return context.fault === null || !AFTER_COMMIT_FAULTS.has(context.fault);
}
