import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { Evidence, Hold, JudgedTarget, TargetDecision } from '../ledger/targetEvidence.js';
import type { TargetKind } from '../ledger/ledgerEvents.js';
import { excerptAround, matchRanges, type Excerpt } from './matchRanges.js';

/** A visitor's profile fields as the API shows them now; null when empty or anonymized. */
export interface ProfileView {
  id: string;
  email: string | null;
  phoneNumber: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface ConversationSummary {
  id: string;
  createdAt: string;
  projectId: number;
}

export interface MatchedMessage extends Excerpt {
  id: string;
  createdAt: string;
  /** "visitor", "operator", "system", or "unknown". */
  author: string;
}

/** One target of a held request as the reviewer sees it: the ledger's judgement and what the API shows now. */
export interface LiveTargetView {
  kind: TargetKind;
  id: string;
  evidence: Evidence[];
  visitor?: string;
  held?: Hold;
  decision?: TargetDecision;
  /** A visitor's own profile, or a conversation's visitor's. */
  profile?: ProfileView;
  /** A visitor: its closed conversations in the interval (the first MAX_VISITOR_CONVERSATIONS). */
  conversations?: ConversationSummary[];
  moreConversations?: boolean;
  /** A conversation: when and where it took place, and the messages that matched the request. */
  conversation?: ConversationSummary & { matches: MatchedMessage[]; messagesRead: number; moreMessages: boolean };
  /** Why nothing could be read: the error's code, or `not_found` (anonymized and gone, or outside the interval). */
  unread?: string;
}

export interface LiveReadContext {
  client: IadvizeClient;
  interval: { from: string; to: string };
  projectIds: number[];
  /** The texts the request searched, e-mails and phone spellings included: what is marked in messages. */
  needles: string[];
}

const PAGE_SIZE = 100;
/** Bounds on what one opened request reads: the page is for a person's eyes, not an export. */
const MAX_MESSAGE_PAGES = 10;
const MAX_MATCHES_PER_CONVERSATION = 20;
const MAX_VISITOR_CONVERSATIONS = 50;
const AUTHORS: Record<string, string> = { VisitorMessageAuthor: 'visitor', OperatorMessageAuthor: 'operator', SystemMessageAuthor: 'system' };

/** Reads one target live through the API; nothing of what it reads is kept beyond the answer it builds. */
export async function readLiveTarget(target: JudgedTarget, context: LiveReadContext): Promise<LiveTargetView> {
  const view: LiveTargetView = {
    kind: target.kind,
    id: target.id,
    evidence: target.evidence,
    ...(target.visitor !== undefined ? { visitor: target.visitor } : {}),
    ...(target.held !== undefined ? { held: target.held } : {}),
    ...(target.decision !== undefined ? { decision: target.decision } : {}),
  };
  try {
    return target.kind === 'visitor' ? await withVisitor(view, context) : await withConversation(view, context);
  } catch (error) {
    if (error instanceof ApiError) return { ...view, unread: error.code };
    throw error;
  }
}

async function withVisitor(view: LiveTargetView, context: LiveReadContext): Promise<LiveTargetView> {
  const wanted = view.id.toLowerCase();
  const conversations: ConversationSummary[] = [];
  let profile: ProfileView | undefined;
  let after: string | undefined;
  let more = false;
  do {
    const page = await context.client.reviewVisitor({
      interval: context.interval,
      projectIds: context.projectIds,
      visitorId: view.id,
      first: Math.min(PAGE_SIZE, MAX_VISITOR_CONVERSATIONS - conversations.length),
      ...(after !== undefined ? { after } : {}),
    });
    for (const { node } of page.edges) {
      const { conversation } = node;
      if (conversation.visitor?.id.toLowerCase() !== wanted) continue;
      profile ??= profileOf(conversation.visitor);
      conversations.push({ id: conversation.id, createdAt: conversation.createdAt, projectId: conversation.projectId });
    }
    more = page.pageInfo.hasNextPage;
    after = page.pageInfo.endCursor ?? undefined;
  } while (more && after !== undefined && conversations.length < MAX_VISITOR_CONVERSATIONS);
  if (profile === undefined) return { ...view, unread: 'not_found' };
  return { ...view, profile, conversations, moreConversations: more };
}

async function withConversation(view: LiveTargetView, context: LiveReadContext): Promise<LiveTargetView> {
  const wanted = view.id.toLowerCase();
  const matches: MatchedMessage[] = [];
  let summary: (ConversationSummary & { visitor: ProfileView | undefined }) | undefined;
  let messagesRead = 0;
  let after: string | undefined;
  let more = false;
  for (let pages = 0; pages < MAX_MESSAGE_PAGES; pages += 1) {
    const page = await context.client.reviewConversation({
      interval: context.interval,
      projectIds: context.projectIds,
      conversationId: view.id,
      first: PAGE_SIZE,
      ...(after !== undefined ? { after } : {}),
    });
    const conversation = page.edges.map((edge) => edge.node.conversation).find((candidate) => candidate.id.toLowerCase() === wanted);
    if (conversation === undefined) break;
    summary ??= {
      id: conversation.id,
      createdAt: conversation.createdAt,
      projectId: conversation.projectId,
      visitor: conversation.visitor == null ? undefined : profileOf(conversation.visitor),
    };
    for (const { node: message } of conversation.messages.edges) {
      messagesRead += 1;
      if (message.text == null || matches.length >= MAX_MATCHES_PER_CONVERSATION) continue;
      const ranges = matchRanges(message.text, context.needles);
      if (ranges.length === 0) continue;
      matches.push({
        id: message.id,
        createdAt: message.createdAt,
        author: AUTHORS[message.author?.__typename ?? ''] ?? 'unknown',
        ...excerptAround(message.text, ranges),
      });
    }
    more = conversation.messages.pageInfo.hasNextPage;
    after = conversation.messages.pageInfo.endCursor ?? undefined;
    if (!more || after === undefined) break;
  }
  if (summary === undefined) return { ...view, unread: 'not_found' };
  const { visitor, ...conversation } = summary;
  return { ...view, ...(visitor !== undefined ? { profile: visitor } : {}), conversation: { ...conversation, matches, messagesRead, moreMessages: more } };
}

function profileOf(visitor: ProfileView): ProfileView {
  const shown = (value: string | null) => (value == null || value.trim() === '' ? null : value);
  return {
    id: visitor.id,
    email: shown(visitor.email),
    phoneNumber: shown(visitor.phoneNumber),
    firstName: shown(visitor.firstName),
    lastName: shown(visitor.lastName),
  };
}
