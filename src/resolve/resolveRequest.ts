import type { CountryCode } from 'libphonenumber-js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { ClosedConversationsQuery, Interval, VisitorProfileFragment } from '../generated/graphql.js';
import type { TargetName } from '../ledger/targetTable.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { addEvidence, identifierLabel, type Evidence, type Resolution } from './evidence.js';
import { judgeTargets, type ReachedTargets } from './judgeTargets.js';
import { firstRound } from './firstRound.js';
import { PAGE_SIZE, listAllPages } from './listAllPages.js';
import { searchTextsOf, spellsIdentifier } from './searchTexts.js';

export interface ResolveContext {
  client: IadvizeClient;
  interval: Interval;
  /** The projects to search; visitors are looked up in each. */
  projectIds: number[];
  /** The over-match guard (judgeTargets.ts). */
  maxVisitorsPerRequest: number;
  /** To read profile phones written without +country code. */
  defaultCountry?: CountryCode;
}

type ConversationNode = ClosedConversationsQuery['closedConversations']['edges'][number]['node'];

// A conversation named by id is looked up whatever its age, to find its visitor.
const EARLIEST = '2000-01-01T00:00:00Z';
// Keeps each conversationVisitorIds filter, and so each request body, small.
const VISITORS_PER_QUERY = 50;

/**
 * docs/design.md#resolution: (1) conversations named, and those whose messages contain any of the
 * request's texts; (2) visitors named, found by e-mail or phone in every project, and the
 * visitor of each conversation of (1); (3) every conversation of each visitor of (2). Each target
 * keeps why it was reached, and the profile fields the queries returned with each visitor, so that
 * judgeTargets can tell the person from a namesake without a call of its own.
 * `earlier`: what an earlier run credited to the request; anonymized, it no longer matches a search.
 */
export async function resolveRequest(request: PersonRequest, context: ResolveContext, earlier: readonly TargetName[] = []): Promise<Resolution> {
  const { client, interval, projectIds } = context;
  const filters = { projectIds };
  const texts = searchTextsOf(request);
  const earlierConversations = earlier.filter((target) => target.kind === 'conversation').map((target) => target.id);
  const byId = (conversationId: string) =>
    listAllPages((after) =>
      client.closedConversations({ interval: { from: EARLIEST, to: interval.to }, filters: { ...filters, conversationId }, first: PAGE_SIZE, after }),
    );
  // project by project, each project's in the order of the request's values (read back below by index)
  const emails = projectIds.flatMap((projectId) => request.emails.map((email) => ({ projectId, email })));
  const phones = projectIds.flatMap((projectId) => request.phones.map((phoneNumber) => ({ projectId, phoneNumber })));

  const [named, resumed, first] = await Promise.all([
    Promise.all(request.conversationIds.map(byId)),
    Promise.all(earlierConversations.map(byId)),
    firstRound(client, interval, projectIds, { texts: texts.map(({ text }) => text), emails, phones }),
  ]);
  const { texts: searched, emails: visitorsByEmail, phones: visitorsByPhone } = first;

  const reached = new Reached();
  request.conversationIds.forEach((id, index) => reached.conversation(id, null, { kind: 'named_by_id', matched: [identifierLabel('conversation_id', index)] }));
  request.visitorIds.forEach((id, index) => reached.visitor(id, null, { kind: 'named_by_id', matched: [identifierLabel('visitor_id', index)] }));
  for (const target of earlier) {
    if (target.kind === 'conversation') reached.conversation(target.id, null, { kind: 'earlier_run', matched: [] });
    else reached.visitor(target.id, null, { kind: 'earlier_run', matched: [] });
  }
  named.forEach((nodes, index) => reached.conversationsFound(nodes, { kind: 'named_by_id', matched: [identifierLabel('conversation_id', index)] }));
  for (const nodes of resumed) reached.conversationsFound(nodes, { kind: 'earlier_run', matched: [] });
  searched.forEach((nodes, index) => {
    const text = texts[index]!;
    reached.conversationsFound(nodes, { kind: spellsIdentifier(text) ? 'message_identifier' : 'message_search', matched: text.identifiers });
  });
  // the lookups were listed project by project, each project's in the order of the request's values
  visitorsByEmail.forEach((nodes, index) => reached.visitorsFound(nodes, identifierLabel('email', index % request.emails.length)));
  visitorsByPhone.forEach((nodes, index) => reached.visitorsFound(nodes, identifierLabel('phone', index % request.phones.length)));

  const visitorBatches = chunk([...reached.visitors.keys()], VISITORS_PER_QUERY);
  const ofVisitors = await Promise.all(
    visitorBatches.map((conversationVisitorIds) =>
      listAllPages((after) => client.closedConversations({ interval, filters: { ...filters, conversationVisitorIds }, first: PAGE_SIZE, after })),
    ),
  );
  for (const node of ofVisitors.flat()) {
    const { id, visitor } = node.conversation;
    if (visitor) reached.conversation(id, visitor.id, { kind: 'visitor_conversation', matched: [], visitor: visitor.id });
  }
  return judgeTargets(request, reached, context);
}

/** The targets reached so far, each with its evidence and, for a visitor, the first profile read. */
class Reached implements ReachedTargets {
  readonly conversations: ReachedTargets['conversations'] = new Map();
  readonly visitors: ReachedTargets['visitors'] = new Map();

  conversation(id: string, visitorId: string | null, evidence: Evidence): void {
    const found = this.conversations.get(id);
    if (found === undefined) this.conversations.set(id, { visitorId, evidence: [{ ...evidence, matched: [...evidence.matched] }] });
    else {
      found.visitorId ??= visitorId;
      addEvidence(found.evidence, evidence);
    }
  }

  visitor(id: string, profile: VisitorProfileFragment | null, evidence: Evidence): void {
    const found = this.visitors.get(id);
    const fields =
      profile === null ? null : { email: profile.email, phoneNumber: profile.phoneNumber, firstName: profile.firstName, lastName: profile.lastName };
    if (found === undefined) this.visitors.set(id, { profile: fields, evidence: [{ ...evidence, matched: [...evidence.matched] }] });
    else {
      found.profile ??= fields;
      addEvidence(found.evidence, evidence);
    }
  }

  /** Conversations a query found, and their visitors, reached the same way. */
  conversationsFound(nodes: readonly ConversationNode[], evidence: Evidence): void {
    for (const { conversation } of nodes) {
      const visitor = conversation.visitor ?? null;
      this.conversation(conversation.id, visitor?.id ?? null, evidence);
      if (visitor !== null) this.visitor(visitor.id, visitor, evidence);
    }
  }

  visitorsFound(nodes: readonly VisitorProfileFragment[], label: string): void {
    for (const node of nodes) this.visitor(node.id, node, { kind: 'profile_match', matched: [label] });
  }
}

function chunk<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}
