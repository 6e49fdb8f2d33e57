import type { Dataset, DatasetConversation, DatasetMessage } from './dataset.js';
import { MessageSearchIndex } from './messageSearchIndex.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredConversation {
  id: string;
  projectId: number;
  visitorId: string | null;
  createdAtMs: number;
  messages: DatasetMessage[];
  customData: Record<string, string>;
  anonymized: boolean;
}

export interface StoredVisitor {
  id: string;
  projectId: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumber: string | null;
  customData: Record<string, string>;
  anonymized: boolean;
}

export interface ConversationFilter {
  fromMs: number;
  toMs: number;
  projectIds: readonly number[];
  messagesSearches?: readonly string[] | null;
  conversationId?: string | null;
  conversationVisitorIds?: readonly string[] | null;
}

export interface VisitorFilter {
  projectId: number;
  email?: string | null;
  phoneNumber?: string | null;
}

export type ConversationAnonymizeResult = 'anonymized' | 'not_found';
export type VisitorAnonymizeResult = 'anonymized' | 'already_anonymized' | 'not_found';

/** The account's data as the simulator holds it, and the operations the API performs on it. */
export class AccountStore {
  readonly conversations = new Map<string, StoredConversation>();
  readonly visitors = new Map<string, StoredVisitor>();
  /** Newest first, then by id: the order closedConversations pages through (see paginate.ts). */
  private readonly conversationOrder: StoredConversation[];
  private readonly conversationsByVisitor = new Map<string, StoredConversation[]>();
  private readonly visitorOrder: StoredVisitor[];
  /**
   * Made with the store, not at the first search: on the bench's account it takes about 200 ms of
   * the simulator's one thread, which held up every call in flight at a run's start (and, under a
   * rate limit, let them arrive bunched). Made again after a conversation is added.
   */
  private searchIndex: MessageSearchIndex | undefined;
  /** Anonymizations answered as done but not made yet (the `applied_later` fault), oldest first. */
  private readonly deferred: { kind: 'conversation' | 'visitor'; id: string }[] = [];

  constructor(dataset: Dataset, startMs: number) {
    for (const source of dataset.visitors) {
      const anonymized = source.anonymized === true;
      const id = source.id.toLowerCase();
      this.visitors.set(id, {
        id,
        projectId: source.projectId,
        firstName: anonymized ? null : (source.firstName ?? null),
        lastName: anonymized ? null : (source.lastName ?? null),
        email: anonymized ? null : (source.email ?? null),
        phoneNumber: anonymized ? null : (source.phoneNumber ?? null),
        customData: anonymized ? {} : { ...source.customData },
        anonymized,
      });
    }
    for (const source of dataset.conversations) this.storeConversation(storedConversation(source, startMs));
    this.conversationOrder = [...this.conversations.values()].sort(compareConversations);
    for (const list of this.conversationsByVisitor.values()) list.sort(compareConversations);
    this.visitorOrder = [...this.visitors.values()].sort((a, b) => compareStrings(a.id, b.id));
    this.searchIndex = new MessageSearchIndex(this.conversations.values());
  }

  /**
   * A conversation closed after the simulator started (the person chatted again), as tests need to
   * show what a later check finds. `daysAgo` counts from `nowMs`.
   */
  addConversation(source: DatasetConversation, nowMs: number = Date.now()): void {
    const conversation = storedConversation(source, nowMs);
    if (this.conversations.has(conversation.id)) throw new Error(`conversation ${conversation.id} exists already`);
    this.storeConversation(conversation);
    this.conversationOrder.push(conversation);
    this.conversationOrder.sort(compareConversations);
    this.searchIndex = undefined;
    if (conversation.visitorId !== null) this.conversationsByVisitor.get(conversation.visitorId)!.sort(compareConversations);
  }

  private storeConversation(conversation: StoredConversation): void {
    this.conversations.set(conversation.id, conversation);
    if (conversation.visitorId !== null) {
      const list = this.conversationsByVisitor.get(conversation.visitorId) ?? [];
      list.push(conversation);
      this.conversationsByVisitor.set(conversation.visitorId, list);
    }
  }

  /** Closed conversations matching every given filter, in page order. */
  findConversations(filter: ConversationFilter): StoredConversation[] {
    const projects = new Set(filter.projectIds);
    const searches = filter.messagesSearches?.map((search) => search.toLowerCase());
    const found = searches == null ? undefined : (this.searchIndex ??= new MessageSearchIndex(this.conversations.values())).matching(searches);
    let candidates: StoredConversation[];
    if (filter.conversationVisitorIds != null) {
      const seen = new Set<string>();
      candidates = filter.conversationVisitorIds
        .flatMap((visitorId) => this.conversationsByVisitor.get(visitorId.toLowerCase()) ?? [])
        .filter((conversation) => !seen.has(conversation.id) && seen.add(conversation.id))
        .sort(compareConversations);
    } else if (found !== undefined) {
      // a search finds few conversations: sorting them beats filtering the whole account
      candidates = [...found].sort(compareConversations);
    } else {
      candidates = this.conversationOrder;
    }
    return candidates.filter(
      (conversation) =>
        projects.has(conversation.projectId) &&
        conversation.createdAtMs >= filter.fromMs &&
        conversation.createdAtMs <= filter.toMs &&
        (filter.conversationId == null || conversation.id === filter.conversationId.toLowerCase()) &&
        (found === undefined || found.has(conversation)),
    );
  }

  /** Visitors of one project whose e-mail (case-insensitive) and phone (exact E.164) match, by id. */
  findVisitors(filter: VisitorFilter): StoredVisitor[] {
    const email = filter.email?.trim().toLowerCase();
    const phone = filter.phoneNumber?.trim();
    return this.visitorOrder.filter(
      (visitor) =>
        visitor.projectId === filter.projectId && (email == null || visitor.email?.toLowerCase() === email) && (phone == null || visitor.phoneNumber === phone),
    );
  }

  /** Deletes messages (system ones and attachments included) and custom data; keeps the conversation. */
  anonymizeConversation(id: string): ConversationAnonymizeResult {
    const conversation = this.conversations.get(id.toLowerCase());
    if (conversation === undefined || conversation.anonymized) return 'not_found';
    conversation.messages = [];
    conversation.customData = {};
    conversation.anonymized = true;
    return 'anonymized';
  }

  /** Queues an anonymization to be made by applyDeferred(): until then the target keeps its data. */
  deferAnonymization(kind: 'conversation' | 'visitor', id: string): void {
    this.deferred.push({ kind, id });
  }

  get pendingDeferred(): number {
    return this.deferred.length;
  }

  /** Makes every queued anonymization, as the API would once the process it started ends; returns how many. */
  applyDeferred(): number {
    const queued = this.deferred.splice(0);
    for (const { kind, id } of queued) {
      if (kind === 'conversation') this.anonymizeConversation(id);
      else this.anonymizeVisitor(id);
    }
    return queued.length;
  }

  /** Clears every personal field of the visitor profile; keeps the profile and its id. */
  anonymizeVisitor(id: string): VisitorAnonymizeResult {
    const visitor = this.visitors.get(id.toLowerCase());
    if (visitor === undefined) return 'not_found';
    if (visitor.anonymized) return 'already_anonymized';
    visitor.firstName = null;
    visitor.lastName = null;
    visitor.email = null;
    visitor.phoneNumber = null;
    visitor.customData = {};
    visitor.anonymized = true;
    return 'anonymized';
  }
}

function storedConversation(source: DatasetConversation, startMs: number): StoredConversation {
  const anonymized = source.anonymized === true;
  return {
    id: source.id.toLowerCase(),
    projectId: source.projectId,
    visitorId: source.visitorId?.toLowerCase() ?? null,
    createdAtMs: source.createdAt !== undefined ? Date.parse(source.createdAt) : startMs - (source.daysAgo ?? 0) * DAY_MS,
    messages: anonymized ? [] : source.messages.map((message) => ({ ...message })),
    customData: anonymized ? {} : { ...source.customData },
    anonymized,
  };
}

function compareConversations(a: StoredConversation, b: StoredConversation): number {
  return b.createdAtMs - a.createdAtMs || compareStrings(a.id, b.id);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
