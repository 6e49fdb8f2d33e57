import { createHmac } from 'node:crypto';
import { ApiError, endsTheRun } from '../api/apiError.js';
import { eraseTargets, requestEventBase, resolutionEvent, type EraseContext, type RequestEventBase } from '../anonymize/eraseTargets.js';
import type { RequestEvent, ResolutionEvent } from '../ledger/ledgerEvents.js';
import type { PersonRequest, RejectedRequest } from '../requests/personRequest.js';
import { describeHolds } from '../resolve/describeHolds.js';
import type { Resolution } from '../resolve/evidence.js';
import { resolveRequest, type ResolveContext } from '../resolve/resolveRequest.js';

export interface ProcessContext extends EraseContext {
  runId: string;
  resolve: ResolveContext;
  /** `--approve`: held requests a person has reviewed and released; their held targets are erased too. */
  approved: ReadonlySet<string>;
  /** IADVIZE_PII_KEY: when set, the request event carries HMAC digests of its identifiers. */
  piiKey?: string;
  /** Records why each target was reached (the ledger's resolution event), before any is sent. */
  recordResolution: (event: ResolutionEvent) => Promise<void>;
  /** Told each request's targets once resolved, held ones included (`plan` keeps them). */
  onResolved?: (requestId: string, resolution: Resolution) => void;
}

const MAX_REASONS = 5;

/** One request, start to end: resolve, judge, record the evidence, anonymize what is not held, and its ledger event. */
export async function processRequest(request: PersonRequest, context: ProcessContext): Promise<RequestEvent> {
  const digests = context.piiKey === undefined ? {} : { identifierDigests: digestIdentifiers(request, context.piiKey) };
  const base: RequestEventBase = { ...requestEventBase(context.runId, request), ...digests };

  let resolution: Resolution;
  try {
    // On resume, what an earlier run credited to this request stays its own: anonymized targets
    // no longer match a search, and their visitors must be looked up again through them.
    resolution = await resolveRequest(request, context.resolve, context.registry.previousTargetsOf(request.requestId));
  } catch (error) {
    if (!(error instanceof ApiError) || endsTheRun(error)) throw error;
    return { ...base, status: 'failed', conversations: 0, visitors: 0, reason: `resolution failed: ${error.code}` };
  }
  context.onResolved?.(request.requestId, resolution);
  if (resolution.targets.length === 0) return { ...base, status: 'no_match', conversations: 0, visitors: 0 };

  const heldReason = describeHolds(resolution);
  const release = heldReason !== undefined && context.approved.has(request.requestId);
  await context.recordResolution(resolutionEvent(context.runId, request.requestId, resolution.targets, release));
  if (!release) return eraseTargets(base, resolution.targets, context, { release, heldReason });
  return eraseTargets({ ...base, approved: true, reason: `${heldReason}; released by --approve` }, resolution.targets, context, { release });
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
