import { createHmac } from 'node:crypto';
import { ApiError, endsTheRun } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { TargetRegistry } from '../anonymize/targetRegistry.js';
import type { RequestEvent, TargetKind, TargetStatus } from '../ledger/ledgerEvents.js';
import type { PersonRequest, RejectedRequest } from '../requests/personRequest.js';
import { resolveRequest, type ResolveContext } from '../resolve/resolveRequest.js';

export interface ProcessContext {
  runId: string;
  resolve: ResolveContext;
  client: IadvizeClient;
  registry: TargetRegistry;
  dryRun: boolean;
  maxVisitorsPerRequest: number;
  /** IADVIZE_PII_KEY: when set, the request event carries HMAC digests of its identifiers. */
  piiKey?: string;
}

const MAX_REASONS = 5;

/** One request, start to end: resolve, guard, anonymize (conversations first), and its ledger event. */
export async function processRequest(request: PersonRequest, context: ProcessContext): Promise<RequestEvent> {
  const base = {
    type: 'request' as const,
    runId: context.runId,
    requestId: request.requestId,
    source: request.source,
    ...(request.receivedAt !== undefined ? { receivedAt: request.receivedAt } : {}),
  };
  const digests = context.piiKey === undefined ? {} : { identifierDigests: digestIdentifiers(request, context.piiKey) };

  // On resume, what an earlier run recorded for this request counts as named: anonymized targets
  // no longer match a search, and their visitors must be looked up again through them.
  const earlier = context.registry.previousTargetsOf(request.requestId);
  const named: PersonRequest = {
    ...request,
    conversationIds: [...request.conversationIds, ...earlier.filter((t) => t.kind === 'conversation').map((t) => t.id)],
    visitorIds: [...request.visitorIds, ...earlier.filter((t) => t.kind === 'visitor').map((t) => t.id)],
  };
  let conversationIds: string[];
  let visitorIds: string[];
  try {
    ({ conversationIds, visitorIds } = await resolveRequest(named, context.resolve));
  } catch (error) {
    if (!(error instanceof ApiError) || endsTheRun(error)) throw error;
    return { ...base, status: 'failed', conversations: 0, visitors: 0, reason: `resolution failed: ${error.code}`, ...digests };
  }
  const counts = { conversations: conversationIds.length, visitors: visitorIds.length };

  if (visitorIds.length > context.maxVisitorsPerRequest) {
    const reason = `reached ${visitorIds.length} visitors (limit ${context.maxVisitorsPerRequest}) and ${conversationIds.length} conversations; nothing anonymized`;
    return { ...base, status: 'needs_review', ...counts, reason, ...digests };
  }
  if (conversationIds.length === 0 && visitorIds.length === 0) return { ...base, status: 'no_match', ...counts, ...digests };

  // Write-ahead: every target is on record, credited to this request, before the first mutation, so
  // a crash cannot lose one whose only trace (a message's text) the mutation is about to delete.
  const targets = [
    ...conversationIds.map((id) => ({ kind: 'conversation' as const, id })),
    ...visitorIds.map((id) => ({ kind: 'visitor' as const, id })),
  ];
  await Promise.all(targets.map(({ kind, id }) => context.registry.plan(kind, id, request.requestId)));
  if (context.dryRun) return { ...base, status: 'planned', ...counts, ...digests };

  const anonymize = (kind: TargetKind, id: string): Promise<TargetStatus> =>
    context.registry.anonymize(kind, id, request.requestId, (k, i) =>
      k === 'conversation' ? context.client.anonymizeConversation(i) : context.client.anonymizeVisitor(i),
    );
  // Conversations before visitors: while the profile still holds the e-mail, a re-run can find them again.
  const statuses = await Promise.all(conversationIds.map((id) => anonymize('conversation', id)));
  statuses.push(...(await Promise.all(visitorIds.map((id) => anonymize('visitor', id)))));

  const failed = statuses.filter((status) => status === 'failed').length;
  if (failed > 0) return { ...base, status: 'failed', ...counts, reason: `${failed} of ${statuses.length} targets failed; a re-run retries them`, ...digests };
  return { ...base, status: 'completed', ...counts, ...digests };
}

export function rejectedEvent(rejected: RejectedRequest, runId: string): RequestEvent {
  const shown = rejected.problems.slice(0, MAX_REASONS).map((problem) => `line ${problem.line}: ${problem.reason}`);
  const more = rejected.problems.length - shown.length;
  return {
    type: 'request',
    runId,
    requestId: rejected.requestId,
    status: 'rejected',
    source: rejected.source,
    conversations: 0,
    visitors: 0,
    reason: more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; '),
  };
}

/** Proof a request was processed, without the data: HMAC-SHA256 of each normalized identifier. */
function digestIdentifiers(request: PersonRequest, key: string): string[] {
  const identifiers = [
    ...request.emails.map((email) => `email:${email}`),
    ...request.phones.map((phone) => `phone:${phone}`),
    ...request.searches.map((search) => `search:${search.toLowerCase()}`),
    ...request.conversationIds.map((id) => `conversation:${id}`),
    ...request.visitorIds.map((id) => `visitor:${id}`),
  ];
  return identifiers.map((identifier) => createHmac('sha256', key).update(identifier).digest('hex'));
}
