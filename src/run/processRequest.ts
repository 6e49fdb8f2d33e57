import { ApiError, endsTheRun } from '../api/apiError.js';
import {
  decidedPart,
  eraseTargets,
  requestEventBase,
  resolutionEvent,
  type EraseContext,
  type HeldDecision,
  type RequestEventBase,
} from '../anonymize/eraseTargets.js';
import type { RequestEvent, ResolutionEvent } from '../ledger/ledgerEvents.js';
import type { PersonRequest, RejectedRequest } from '../requests/personRequest.js';
import { describeHolds } from '../resolve/describeHolds.js';
import type { Resolution } from '../resolve/evidence.js';
import { resolveRequest, type ResolveContext } from '../resolve/resolveRequest.js';
import { withSharedTargets } from '../resolve/withSharedTargets.js';
import type { PersonLinks } from './personLinks.js';
import { identifierDigests, personDigests } from './requestDigests.js';

export interface ProcessContext extends EraseContext {
  runId: string;
  resolve: ResolveContext;
  /** A person's decision on the request's held targets (`--approve`, a decisions file), if any. */
  decisionFor: (requestId: string) => HeldDecision | undefined;
  /** IADVIZE_PII_KEY: when set, the request event carries HMAC digests of its identifiers. */
  piiKey?: string;
  /** Records why each target was reached (the ledger's resolution event), before any is sent. */
  recordResolution: (event: ResolutionEvent) => Promise<void>;
  /** Told each request's targets once resolved, held ones included (`plan` keeps them). */
  onResolved?: (requestId: string, resolution: Resolution) => void;
  /** The ledger's digest key (digestKey.ts). */
  digestKey: string;
  /** The requests of the ledger and run that name the same person (personLinks.ts). */
  links: PersonLinks;
}

/** How the run tells this request from others with its id (requestIdentity.ts). */
export interface RequestIdentity {
  contentDigest?: string;
  /** The request_id in the file, when the request is recorded under another. */
  fileRequestId?: string;
  /** Why it is recorded under another id, or searched again. */
  note?: string;
}

const MAX_REASONS = 5;

/** One request, start to end: resolve, judge, record the evidence, anonymize what is not held, and its ledger event. */
export async function processRequest(request: PersonRequest, context: ProcessContext, identity: RequestIdentity = {}): Promise<RequestEvent> {
  const base: RequestEventBase = {
    ...requestEventBase(context.runId, request),
    ...(identity.note !== undefined ? { reason: identity.note } : {}),
    ...(identity.fileRequestId !== undefined ? { fileRequestId: identity.fileRequestId } : {}),
    ...(context.piiKey !== undefined ? { identifierDigests: identifierDigests(request, context.piiKey) } : {}),
    ...(identity.contentDigest !== undefined ? { contentDigest: identity.contentDigest } : {}),
  };
  const persons = personDigests(request, context.digestKey);
  context.links.register(request.requestId, persons);

  let resolution: Resolution;
  try {
    // On resume, what an earlier run credited to this request stays its own: anonymized targets
    // no longer match a search, and their visitors must be looked up again through them.
    resolution = await resolveRequest(request, context.resolve, context.registry.previousTargetsOf(request.requestId));
  } catch (error) {
    if (!(error instanceof ApiError) || endsTheRun(error)) throw error;
    return { ...base, status: 'failed', conversations: 0, visitors: 0, reason: joined(base.reason, `resolution failed: ${error.code}`) };
  }
  // After the queries: what another request for the same person had erased before them is found here.
  resolution = withSharedTargets(resolution, context.links.shared(request.requestId, persons));
  context.onResolved?.(request.requestId, resolution);
  if (resolution.targets.length === 0) return { ...base, status: 'no_match', conversations: 0, visitors: 0 };

  const heldReason = describeHolds(resolution);
  const decision = heldReason !== undefined ? context.decisionFor(request.requestId) : undefined;
  // appended now, committed with the targets' write-ahead records in one sync (eraseTargets awaits it)
  const recorded = context.recordResolution(resolutionEvent(context.runId, request.requestId, resolution.targets, decision, persons));
  if (decision === undefined) return eraseTargets(base, resolution.targets, context, { heldReason, recorded });
  return eraseTargets({ ...base, reason: joined(base.reason, `${heldReason}; ${decidedPart(decision, resolution.targets)}`) }, resolution.targets, context, {
    decision,
    recorded,
  });
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

function joined(first: string | undefined, second: string): string {
  return first === undefined ? second : `${first}; ${second}`;
}
