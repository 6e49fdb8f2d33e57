import { createHmac } from 'node:crypto';
import { ApiError, endsTheRun } from '../api/apiError.js';
import { eraseTargets, requestEventBase, type EraseContext, type RequestEventBase } from '../anonymize/eraseTargets.js';
import type { RequestEvent } from '../ledger/ledgerEvents.js';
import type { PersonRequest, RejectedRequest } from '../requests/personRequest.js';
import { resolveRequest, type Resolution, type ResolveContext } from '../resolve/resolveRequest.js';

export interface ProcessContext extends EraseContext {
  runId: string;
  resolve: ResolveContext;
  maxVisitorsPerRequest: number;
  /** `--approve`: held requests a person has reviewed and released; the over-match guard lets them through. */
  approved: ReadonlySet<string>;
  /** IADVIZE_PII_KEY: when set, the request event carries HMAC digests of its identifiers. */
  piiKey?: string;
  /** Told each request's targets once resolved, a held request's included (`plan` keeps them). */
  onResolved?: (requestId: string, resolution: Resolution) => void;
}

const MAX_REASONS = 5;

/** One request, start to end: resolve, guard, anonymize (conversations first), and its ledger event. */
export async function processRequest(request: PersonRequest, context: ProcessContext): Promise<RequestEvent> {
  const digests = context.piiKey === undefined ? {} : { identifierDigests: digestIdentifiers(request, context.piiKey) };
  const base: RequestEventBase = { ...requestEventBase(context.runId, request), ...digests };

  // On resume, what an earlier run recorded for this request counts as named: anonymized targets
  // no longer match a search, and their visitors must be looked up again through them.
  const earlier = context.registry.previousTargetsOf(request.requestId);
  const named: PersonRequest = {
    ...request,
    conversationIds: [...request.conversationIds, ...earlier.filter((t) => t.kind === 'conversation').map((t) => t.id)],
    visitorIds: [...request.visitorIds, ...earlier.filter((t) => t.kind === 'visitor').map((t) => t.id)],
  };
  let resolution: Resolution;
  try {
    resolution = await resolveRequest(named, context.resolve);
  } catch (error) {
    if (!(error instanceof ApiError) || endsTheRun(error)) throw error;
    return { ...base, status: 'failed', conversations: 0, visitors: 0, reason: `resolution failed: ${error.code}` };
  }
  context.onResolved?.(request.requestId, resolution);
  const { conversationIds, visitorIds } = resolution;
  const counts = { conversations: conversationIds.length, visitors: visitorIds.length };

  if (visitorIds.length > context.maxVisitorsPerRequest) {
    const reach = `reached ${visitorIds.length} visitors (limit ${context.maxVisitorsPerRequest}) and ${conversationIds.length} conversations`;
    if (!context.approved.has(request.requestId)) return { ...base, status: 'needs_review', ...counts, reason: `${reach}; nothing anonymized` };
    return eraseTargets({ ...base, approved: true, reason: `${reach}; released by --approve` }, resolution, context);
  }
  if (conversationIds.length === 0 && visitorIds.length === 0) return { ...base, status: 'no_match', ...counts };
  return eraseTargets(base, resolution, context);
}

export function rejectedEvent(rejected: RejectedRequest, runId: string): RequestEvent {
  const shown = rejected.problems.slice(0, MAX_REASONS).map((problem) => `line ${problem.line}: ${problem.reason}`);
  const more = rejected.problems.length - shown.length;
  return {
    ...requestEventBase(runId, rejected),
    status: 'rejected',
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
