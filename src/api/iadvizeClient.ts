import { GraphQLClient, type Variables } from 'graphql-request';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getIntrospectionQuery, parse, print, type DocumentNode, type IntrospectionQuery } from 'graphql';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  ClosedConversationAnonymizeDocument,
  ClosedConversationsDocument,
  ResolutionSearchesDocument,
  ConversationMessagesDocument,
  ReviewConversationDocument,
  ReviewVisitorDocument,
  VisitorAnonymizeDocument,
  VisitorsDocument,
  ProjectVisibleDocument,
  type ClosedConversationsQuery,
  type ClosedConversationsQueryVariables,
  type ResolutionSearchesQuery,
  type ResolutionSearchesQueryVariables,
  type ConversationMessagesQuery,
  type ConversationMessagesQueryVariables,
  type ReviewConversationQuery,
  type ReviewConversationQueryVariables,
  type ReviewVisitorQuery,
  type ReviewVisitorQueryVariables,
  type VisitorsQuery,
  type VisitorsQueryVariables,
  type ProjectVisibleQuery,
} from '../generated/graphql.js';
import {
  CLOSED_CONVERSATION_ANONYMIZE_SHAPE,
  CLOSED_CONVERSATIONS_SHAPE,
  resolutionSearchesShape,
  CONVERSATION_MESSAGES_SHAPE,
  REVIEW_CONVERSATION_SHAPE,
  REVIEW_VISITOR_SHAPE,
  VISITOR_ANONYMIZE_SHAPE,
  VISITORS_SHAPE,
  PROJECT_VISIBLE_SHAPE,
  type AnswerShape,
} from './answerShape.js';
import { ApiError, endsTheRun } from './apiError.js';
import { backoffDelay } from './backoffDelay.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { classifyApiError } from './classifyApiError.js';
import { RateGovernor } from './rateGovernor.js';
import { requestFetch } from './requestFetch.js';
import type { TokenProvider } from './tokenProvider.js';

export interface IadvizeClientOptions {
  endpoint: string;
  tokens: TokenProvider;
  /** Calls in flight at most, queries and mutations together. */
  concurrency: number;
  /** Attempts per call before a retryable failure counts as final. */
  maxAttempts?: number;
  /** Per attempt. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  nowMs?: () => number;
  /** `--rate`: calls per second for the whole run; unset, the pace is learnt from the API's 429s. */
  ratePerSecond?: number;
  /** Failures this client does not retry though a run would (the preflight: a refused connection is configuration, not weather). */
  isFinal?: (error: ApiError) => boolean;
}

export type MutationOutcome = { status: 'anonymized' | 'already_anonymized'; attempts: number } | { status: 'failed'; attempts: number; error: ApiError };

/** Counts for the progress line and the summary. */
export interface ClientStats {
  calls: number;
  retries: number;
  /** Calls answered 429. */
  rateLimited: number;
}

const DEFAULT_MAX_ATTEMPTS = 6;
/**
 * Fresh logins one call may ask for after a 401. One was not enough: with several calls in flight,
 * a token renewed for a call can expire before that call's retry goes out (another call finds
 * out first, or no one has yet), and the second 401 ended the run. A server that refuses every
 * fresh token still ends it after these few logins.
 */
const MAX_TOKEN_RENEWALS = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * 429s taken as outside pressure that a call may meet beyond its attempts: at 30 % of calls
 * refused at random, six attempts left one call in a thousand failed; twenty more leave none,
 * and still end a call that a server refuses for good.
 */
const MAX_FORGIVEN_REFUSALS = 20;
/** Thrown past graphql-request's answer inside send(), to be told from what graphql-request throws. */
const MALFORMED_ANSWER = Symbol('malformed answer');

/**
 * The iAdvize GraphQL API, typed by the generated documents. Everything above this sees typed
 * results and ApiError, never graphql-request's ClientError (whose message embeds the variables).
 * An `unauthorized` ApiError is fatal: the caller must stop the run.
 */
export class IadvizeClient {
  readonly stats: ClientStats = { calls: 0, retries: 0, rateLimited: 0 };
  /** Open once most recent calls failed even after retries: the run stops sending (exit 3). */
  readonly circuit = new CircuitBreaker();
  private readonly governor: RateGovernor;
  private readonly graphql: GraphQLClient;
  private readonly limit: LimitFunction;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly nowMs: () => number;
  /** Set by a refusal that cannot be mended, or by stop(): every later call fails at once, unsent. */
  private halt: ApiError | undefined;
  /**
   * Wakes the retries sleeping out a backoff when the run stops. A set, not listeners on an
   * AbortSignal: a busy run has more than ten retries asleep at once, and the signal warned
   * MaxListenersExceededWarning at the eleventh.
   */
  private readonly sleepers = new Set<() => void>();
  private stopped = false;
  /** 429s the governor took as outside pressure: only the refused call waits, the run does not pause. */
  private readonly refusedAlone = new WeakSet<ApiError>();
  /** The calls in flight, each aborted by its own timeout or, all at once, by abortInFlight. */
  private readonly inFlight = new Set<AbortController>();
  private abandoned = false;

  constructor(private readonly options: IadvizeClientOptions) {
    // The documents go as text printed once (textOf): graphql-request prints a DocumentNode again
    // for every call, or parses a text for its operation name unless told not to.
    this.graphql = new GraphQLClient(options.endpoint, { fetch: requestFetch as typeof fetch, excludeOperationName: true });
    this.limit = pLimit(options.concurrency);
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.nowMs = options.nowMs ?? Date.now;
    this.governor = new RateGovernor({
      ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
      sleep: (ms) => this.pause(ms),
      random: this.random,
      nowMs: this.nowMs,
    });
  }

  /** No new call goes out from now on; calls in flight may still finish (see abortInFlight). */
  stop(reason: string): void {
    this.halt ??= new ApiError('stopped', reason);
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  /** Abandons the calls in flight; whether a mutation among them was applied, a re-run finds out. */
  abortInFlight(): void {
    this.stop('STOPPED');
    this.abandoned = true;
    for (const call of this.inFlight) call.abort();
  }

  async closedConversations(variables: ClosedConversationsQueryVariables): Promise<ClosedConversationsQuery['closedConversations']> {
    return (await this.call(ClosedConversationsDocument, variables, CLOSED_CONVERSATIONS_SHAPE)).value.closedConversations;
  }

  /** One closed conversation by id and a page of its messages (verify's read-back); the page is empty once it is anonymized. */
  async conversationMessages(variables: ConversationMessagesQueryVariables): Promise<ConversationMessagesQuery['closedConversations']> {
    return (await this.call(ConversationMessagesDocument, variables, CONVERSATION_MESSAGES_SHAPE)).value.closedConversations;
  }

  /** One closed conversation as the review page shows it: date, project, visitor's profile and a page of messages. */
  async reviewConversation(variables: ReviewConversationQueryVariables): Promise<ReviewConversationQuery['closedConversations']> {
    return (await this.call(ReviewConversationDocument, variables, REVIEW_CONVERSATION_SHAPE)).value.closedConversations;
  }

  /** A page of one visitor's closed conversations, each carrying the visitor's profile (the review page). */
  async reviewVisitor(variables: ReviewVisitorQueryVariables): Promise<ReviewVisitorQuery['closedConversations']> {
    return (await this.call(ReviewVisitorDocument, variables, REVIEW_VISITOR_SHAPE)).value.closedConversations;
  }

  /** The preflight's check of one project (src/run/preflight.ts): answered, the account can see it. */
  async projectVisible(projectId: number): Promise<ProjectVisibleQuery['visitors']> {
    return (await this.call(ProjectVisibleDocument, { projectId }, PROJECT_VISIBLE_SHAPE)).value.visitors;
  }

  /** The live schema, where the API allows introspection (`doctor`); a refusal is an ApiError like any other. */
  async introspect(): Promise<IntrospectionQuery> {
    return (await this.call(INTROSPECTION_DOCUMENT, {}, isIntrospection)).value;
  }

  async visitors(variables: VisitorsQueryVariables): Promise<VisitorsQuery['visitors']> {
    return (await this.call(VisitorsDocument, variables, VISITORS_SHAPE)).value.visitors;
  }

  /** Several searches and lookups in one call (resolve/firstRound.ts); each included alias is checked to be a page. */
  async resolutionSearches(variables: ResolutionSearchesQueryVariables): Promise<ResolutionSearchesQuery> {
    return (await this.call(ResolutionSearchesDocument, variables, resolutionSearchesShape(variables))).value;
  }

  anonymizeConversation(conversationId: string): Promise<MutationOutcome> {
    return this.mutate(
      ClosedConversationAnonymizeDocument,
      { input: { conversationId } },
      CLOSED_CONVERSATION_ANONYMIZE_SHAPE,
      (data) => data.closedConversationAnonymize?.succeeded === true,
    );
  }

  anonymizeVisitor(id: string): Promise<MutationOutcome> {
    return this.mutate(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id } }, VISITOR_ANONYMIZE_SHAPE, (data) => data.visitorAnonymize?.visitor != null);
  }

  /** NOT_FOUND means already done (the article: "dropped or anonymized"): success. */
  private async mutate<T, V extends Variables>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    shape: AnswerShape<T>,
    succeeded: (data: T) => boolean,
  ): Promise<MutationOutcome> {
    try {
      const { value, attempts } = await this.call(document, variables, shape);
      if (succeeded(value)) return { status: 'anonymized', attempts };
      return { status: 'failed', attempts, error: new ApiError('final', 'UNEXPECTED_RESPONSE') };
    } catch (error) {
      const failure = error as ApiError & { attempts?: number };
      if (endsTheRun(failure)) throw failure;
      if (failure.kind === 'not_found') return { status: 'already_anonymized', attempts: failure.attempts ?? 1 };
      return { status: 'failed', attempts: failure.attempts ?? 1, error: failure };
    }
  }

  private async call<T, V extends Variables>(document: TypedDocumentNode<T, V>, variables: V, shape: AnswerShape<T>): Promise<{ value: T; attempts: number }> {
    let attempts = 0;
    // 429s of outside pressure are the account's other integrations, not this call failing.
    let forgiven = 0;
    let renewalsLeft = MAX_TOKEN_RENEWALS;
    for (;;) {
      if (this.halt !== undefined) throw this.halt;
      attempts += 1;
      let sent: T | LoginFailure;
      try {
        sent = await this.limit(() => this.sendWithToken(document, variables, shape, renewalsLeft > 0));
      } catch (error) {
        const failure = error as ApiError;
        if (failure === this.halt) throw failure;
        if (failure.kind === 'unauthorized') {
          renewalsLeft -= 1;
          continue;
        }
        if (this.refusedAlone.has(failure) && forgiven < MAX_FORGIVEN_REFUSALS) forgiven += 1;
        if (failure.kind !== 'retryable' || attempts - forgiven >= this.maxAttempts || this.options.isFinal?.(failure) === true) {
          if (failure.kind === 'retryable') this.recordFailureAfterRetries();
          throw Object.assign(failure, { attempts });
        }
        this.stats.retries += 1;
        // A 429 of the run's pace has paused the whole run already (the governor); other failures back off alone.
        if (failure.status !== 429 || this.refusedAlone.has(failure)) await this.pause(backoffDelay(attempts, this.random, failure.retryAfterMs));
        continue;
      }
      if (sent instanceof LoginFailure) {
        // A refused login ends the run; a login the API could not serve now (429, 5xx) is retried.
        const failure = sent.error;
        if (failure.kind === 'unauthorized') this.halt = failure;
        if (failure.kind !== 'retryable' || attempts >= this.maxAttempts || this.options.isFinal?.(failure) === true)
          throw Object.assign(failure, { attempts });
        await this.pause(backoffDelay(attempts, this.random, failure.retryAfterMs));
        continue;
      }
      this.circuit.record('success');
      return { value: sent, attempts };
    }
  }

  private recordFailureAfterRetries(): void {
    this.circuit.record('failure');
    if (this.circuit.isOpen) this.stop('CIRCUIT_OPEN');
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
      this.sleepers.add(wake);
    });
    return Promise.race([this.sleep(ms), woken]).finally(() => this.sleepers.delete(wake));
  }

  /**
   * One attempt in its slot, with the token taken now, right before the call goes out: a token
   * taken when the call was queued could be spent by the time a long queue reached it, and a call
   * refused twice (its renewed token spent again in the queue) ended the run.
   */
  private async sendWithToken<T, V extends Variables>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    shape: AnswerShape<T>,
    mayRenewToken: boolean,
  ): Promise<T | LoginFailure> {
    let token: string;
    try {
      token = await this.options.tokens.token();
    } catch (error) {
      return new LoginFailure(error as ApiError);
    }
    return this.send(document, variables, shape, token, mayRenewToken);
  }

  /**
   * One attempt, inside a concurrency slot. A refusal is judged here, before the slot is freed:
   * calls queued behind a refused one must not go out.
   */
  private async send<T, V extends Variables>(
    document: TypedDocumentNode<T, V>,
    variables: V,
    shape: AnswerShape<T>,
    token: string,
    mayRenewToken: boolean,
  ): Promise<T> {
    if (this.halt !== undefined) throw this.halt;
    await this.governor.acquire();
    if (this.halt !== undefined) {
      this.governor.onUnanswered();
      throw this.halt;
    }
    const sentAtMs = this.nowMs();
    this.stats.calls += 1;
    // One controller and a timer cleared on the answer, not AbortSignal.timeout + AbortSignal.any:
    // a fetch loop against a loopback server spent 8 % more CPU a call with those.
    const call = new AbortController();
    const timer = setTimeout(() => call.abort(new DOMException('the call timed out', 'TimeoutError')), this.timeoutMs);
    this.inFlight.add(call);
    try {
      // Typed at the call sites; graphql-request's conditional types cannot see through a generic V.
      const value = await this.graphql.request<T, Variables>({
        document: textOf(document),
        variables,
        requestHeaders: { authorization: `Bearer ${token}` },
        signal: call.signal,
      });
      this.governor.onAccepted(sentAtMs);
      // A 200 without data, without the field or with a wrong type: a slip of the server's, worth another try.
      if (!shape(value)) throw MALFORMED_ANSWER;
      return value;
    } catch (raw) {
      if (raw === MALFORMED_ANSWER) throw new ApiError('retryable', 'UNEXPECTED_RESPONSE', 200);
      if (this.abandoned && this.halt !== undefined) {
        this.governor.onUnanswered();
        throw this.halt;
      }
      const error = classifyApiError(raw, this.nowMs());
      if (error.status === 429) {
        this.stats.rateLimited += 1;
        if (this.governor.onRateLimited(error.retryAfterMs, sentAtMs) === 'outside_pressure') this.refusedAlone.add(error);
      } else if (error.status !== undefined) {
        this.governor.onAccepted(sentAtMs);
      } else {
        this.governor.onUnanswered();
      }
      // The password grant gets one fresh login per call; a static token, none.
      if (error.kind === 'unauthorized' && !(mayRenewToken && this.options.tokens.renewAfterRefusal(token))) this.halt = error;
      throw error;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(call);
    }
  }
}

const INTROSPECTION_DOCUMENT: TypedDocumentNode<IntrospectionQuery, Variables> = parse(getIntrospectionQuery());

function isIntrospection(value: unknown): value is IntrospectionQuery {
  const schema = (value as { __schema?: { types?: unknown } } | null)?.__schema;
  return typeof schema === 'object' && schema !== null && Array.isArray(schema.types);
}

const printed = new WeakMap<DocumentNode, string>();

function textOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** A login that failed before the call could go out: handled by the call's loop, apart from the call's own failures. */
class LoginFailure {
  constructor(readonly error: ApiError) {}
}
