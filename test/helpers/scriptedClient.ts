import type { IadvizeClient, MutationOutcome } from '../../src/api/iadvizeClient.js';
import { LOOKUPS_PER_CALL, SEARCHES_PER_CALL } from '../../src/resolve/firstRound.js';
import type {
  ClosedConversationsQuery,
  ClosedConversationsQueryVariables,
  ResolutionSearchesQuery,
  ResolutionSearchesQueryVariables,
  VisitorProfileFragment,
  VisitorsQuery,
  VisitorsQueryVariables,
} from '../../src/generated/graphql.js';

/** A visitor of the scripted account: its profile as the queries return it, and its project. */
export interface ScriptedVisitor extends VisitorProfileFragment {
  projectId: number;
}

/** A closed conversation of the scripted account. */
export interface ScriptedConversation {
  id: string;
  projectId: number;
  /** Its visitor's id, or null for a conversation without one. */
  visitorId: string | null;
  /** When it started: the interval filters on this, as in the simulator. */
  createdAt: string;
  /** What its messages say: searched as the simulator does, case-insensitive substrings. */
  messages: string[];
}

export interface ScriptedAccount {
  visitors: ScriptedVisitor[];
  conversations: ScriptedConversation[];
  /** Nodes per page at most, below the `first` asked for: small, so a test sees every page read. */
  pageSize?: number;
  /** What a mutation answers, by target id; anonymized in one attempt for any other. */
  outcomes?: Record<string, MutationOutcome>;
  /** What a mutation throws instead of answering (an error that ends the run), by target id. */
  throws?: Record<string, Error>;
  /** Extra turns of the event loop a mutation takes to answer, by target id. */
  delays?: Record<string, number>;
}

export type ScriptedCall =
  | { method: 'closedConversations'; variables: ClosedConversationsQueryVariables }
  | { method: 'visitors'; variables: VisitorsQueryVariables }
  // first pages only: a field's further pages are closedConversations or visitors calls
  | { method: 'resolutionSearches'; variables: ResolutionSearchesQueryVariables & { after?: never } }
  | { method: 'anonymizeConversation' | 'anonymizeVisitor'; id: string; phase: 'sent' | 'answered' };

type ClosedConversations = ClosedConversationsQuery['closedConversations'];
type Visitors = VisitorsQuery['visitors'];
type ClientMethods = Pick<IadvizeClient, 'closedConversations' | 'visitors' | 'resolutionSearches' | 'anonymizeConversation' | 'anonymizeVisitor'>;

/**
 * The IadvizeClient methods resolveRequest and eraseTargets call, answered from a scripted account
 * in memory, every call recorded in order: the closure rules and the erasure order are tested
 * without HTTP, retries or rate limits. Filters mean what the simulator makes them mean (docs/api-notes.md#assumed).
 */
export class ScriptedClient implements ClientMethods {
  readonly calls: ScriptedCall[] = [];

  constructor(private readonly account: ScriptedAccount) {}

  /** Typed as the real client for the code under test, which calls only the methods above. */
  asClient(): IadvizeClient {
    return this as unknown as IadvizeClient;
  }

  /** The calls of one method, in order. */
  callsOf<M extends ScriptedCall['method']>(method: M): Extract<ScriptedCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<ScriptedCall, { method: M }> => call.method === method);
  }

  async closedConversations(variables: ClosedConversationsQueryVariables): Promise<ClosedConversations> {
    this.calls.push({ method: 'closedConversations', variables });
    const { interval, filters } = variables;
    const from = Date.parse(interval.from);
    const to = Date.parse(interval.to);
    const found = this.account.conversations.filter((conversation) => {
      const createdAt = Date.parse(conversation.createdAt);
      if (createdAt < from || createdAt > to) return false;
      if (filters?.projectIds && !filters.projectIds.includes(conversation.projectId)) return false;
      if (filters?.conversationId && filters.conversationId !== conversation.id) return false;
      if (filters?.conversationVisitorIds && (conversation.visitorId === null || !filters.conversationVisitorIds.includes(conversation.visitorId)))
        return false;
      const searches = filters?.messagesSearches;
      return searches == null || searches.some((search) => conversation.messages.some((message) => message.toLowerCase().includes(search.toLowerCase())));
    });
    return this.page(
      found.map((conversation) => ({
        conversation: { id: conversation.id, visitor: conversation.visitorId === null ? null : this.profileOf(conversation.visitorId) },
      })),
      variables,
    );
  }

  async visitors(variables: VisitorsQueryVariables): Promise<Visitors> {
    this.calls.push({ method: 'visitors', variables });
    const found = this.account.visitors.filter(
      (visitor) =>
        visitor.projectId === variables.projectId &&
        (variables.email == null || visitor.email?.toLowerCase() === variables.email.toLowerCase()) &&
        (variables.phoneNumber == null || visitor.phoneNumber === variables.phoneNumber),
    );
    return this.page(
      found.map(({ projectId: _projectId, ...profile }) => profile),
      variables,
    );
  }

  /**
   * One call of several aliased fields: recorded as itself, then each field as the closedConversations
   * or visitors call it stands for (what it searches, and which page), so tests read what was searched.
   */
  async resolutionSearches(variables: ResolutionSearchesQueryVariables): Promise<ResolutionSearchesQuery> {
    this.calls.push({ method: 'resolutionSearches', variables });
    const slots = variables as Record<string, unknown>;
    const answer: Record<string, unknown> = {};
    const { interval, first } = variables;
    const projectIds = variables.projectIds == null ? variables.projectIds : [variables.projectIds].flat();
    for (let slot = 0; slot < SEARCHES_PER_CALL; slot += 1) {
      if (slots[`withText${slot}`] !== true) continue;
      answer[`text${slot}`] = await this.closedConversations({ interval, filters: { projectIds, messagesSearches: [slots[`text${slot}`] as string] }, first });
    }
    for (let slot = 0; slot < LOOKUPS_PER_CALL; slot += 1) {
      if (slots[`withEmail${slot}`] === true) {
        answer[`email${slot}`] = await this.visitors({ projectId: slots[`emailProject${slot}`] as number, email: slots[`email${slot}`] as string, first });
      }
      if (slots[`withPhone${slot}`] === true) {
        const phoneNumber = slots[`phone${slot}`] as string;
        answer[`phone${slot}`] = await this.visitors({ projectId: slots[`phoneProject${slot}`] as number, phoneNumber, first });
      }
    }
    return answer as ResolutionSearchesQuery;
  }

  anonymizeConversation(id: string): Promise<MutationOutcome> {
    return this.mutate('anonymizeConversation', id);
  }

  anonymizeVisitor(id: string): Promise<MutationOutcome> {
    return this.mutate('anonymizeVisitor', id);
  }

  private async mutate(method: 'anonymizeConversation' | 'anonymizeVisitor', id: string): Promise<MutationOutcome> {
    this.calls.push({ method, id, phase: 'sent' });
    // answered on a later turn of the event loop, so that mutations sent together overlap
    for (let turn = 0; turn <= (this.account.delays?.[id] ?? 0); turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const thrown = this.account.throws?.[id];
    if (thrown !== undefined) throw thrown;
    this.calls.push({ method, id, phase: 'answered' });
    return this.account.outcomes?.[id] ?? { status: 'anonymized', attempts: 1 };
  }

  private profileOf(visitorId: string): VisitorProfileFragment {
    const visitor = this.account.visitors.find((candidate) => candidate.id === visitorId);
    if (visitor === undefined) return { id: visitorId, email: null, phoneNumber: null, firstName: null, lastName: null };
    const { projectId: _projectId, ...profile } = visitor;
    return profile;
  }

  /** A Relay page: the cursor is the offset of the next node. */
  private page<N>(
    nodes: N[],
    variables: { first?: number | null; after?: string | null },
  ): { edges: { node: N }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } {
    const start = variables.after == null ? 0 : Number(variables.after);
    const size = Math.min(variables.first ?? 100, this.account.pageSize ?? 100);
    const slice = nodes.slice(start, start + size);
    const end = start + slice.length;
    return { edges: slice.map((node) => ({ node })), pageInfo: { endCursor: slice.length > 0 ? String(end) : null, hasNextPage: end < nodes.length } };
  }
}
