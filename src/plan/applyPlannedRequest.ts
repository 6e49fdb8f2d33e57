import { decidedPart, eraseTargets, requestEventBase, resolutionEvent, type EraseContext, type HeldDecision } from '../anonymize/eraseTargets.js';
import type { RequestEvent, ResolutionEvent } from '../ledger/ledgerEvents.js';
import type { PlannedRequest } from './plan.js';
import { plannedTargets } from './plannedTargets.js';

export interface ApplyContext extends EraseContext {
  runId: string;
  /** A person's decision on a held request's targets (`--approve`, a decisions file), if any. */
  decisionFor: (requestId: string) => HeldDecision | undefined;
  /** Records the plan's evidence for each target in the ledger, as a run records what it resolved. */
  recordResolution: (event: ResolutionEvent) => Promise<void>;
}

/**
 * One request of a plan, exactly as planned, with no new resolution: the targets it does not hold
 * are anonymized, and the held ones too once released with --approve; any other outcome is
 * recorded as the plan found it.
 */
export async function applyPlannedRequest(entry: PlannedRequest, context: ApplyContext, earlier?: EarlierResolution): Promise<RequestEvent> {
  const base = { ...requestEventBase(context.runId, entry), ...identityOf(earlier?.request) };
  const counts = { conversations: entry.conversations.length, visitors: entry.visitors.length };
  switch (entry.status) {
    case 'planned':
    case 'needs_review': {
      const targets = plannedTargets(entry);
      const decision = entry.status === 'needs_review' ? context.decisionFor(entry.requestId) : undefined;
      const recorded = context.recordResolution(resolutionEvent(context.runId, entry.requestId, targets, decision, earlier?.identifiers));
      const heldReason = heldPartOf(entry.reason);
      if (decision === undefined) return eraseTargets(base, targets, context, { heldReason, recorded });
      return eraseTargets({ ...base, reason: `${heldReason ?? 'held for review'}; ${decidedPart(decision, targets)}` }, targets, context, {
        decision,
        recorded,
      });
    }
    case 'failed':
      return { ...base, status: 'failed', ...counts, reason: `${entry.reason ?? 'failed'} when planning; make a new plan for it` };
    case 'no_match':
    case 'rejected':
      return { ...base, status: entry.status, ...counts, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) };
  }
}

// The plan's reason for a held request ends with what its dry run did with the rest.
const REST_OF_REQUEST = /; (nothing anonymized|the other \d+ targets? planned)$/;

/** "reached 9 visitors (…); nothing anonymized" becomes "reached 9 visitors (…)": what is held, and why. */
function heldPartOf(reason: string | undefined): string | undefined {
  return reason?.replace(REST_OF_REQUEST, '');
}

/** A request held by an earlier run of the ledger being decided (`apply <ledger>`): what its events said of it. */
export interface EarlierResolution {
  request: RequestEvent;
  identifiers?: Record<string, string>;
}

/** What tells the request from others with its id: kept on the event that settles it, so a later run still knows it. */
function identityOf(request: RequestEvent | undefined): Partial<RequestEvent> {
  if (request === undefined) return {};
  return {
    ...(request.fileRequestId !== undefined ? { fileRequestId: request.fileRequestId } : {}),
    ...(request.contentDigest !== undefined ? { contentDigest: request.contentDigest } : {}),
    ...(request.identifierDigests !== undefined ? { identifierDigests: request.identifierDigests } : {}),
  };
}
