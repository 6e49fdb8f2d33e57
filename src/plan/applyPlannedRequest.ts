import { eraseTargets, requestEventBase, resolutionEvent, type EraseContext } from '../anonymize/eraseTargets.js';
import type { RequestEvent, ResolutionEvent } from '../ledger/ledgerEvents.js';
import type { PlannedRequest } from './plan.js';
import { plannedTargets } from './plannedTargets.js';

export interface ApplyContext extends EraseContext {
  runId: string;
  /** `--approve`: held requests a person has reviewed and released. */
  approved: ReadonlySet<string>;
  /** Records the plan's evidence for each target in the ledger, as a run records what it resolved. */
  recordResolution: (event: ResolutionEvent) => Promise<void>;
}

/**
 * One request of a plan, exactly as planned, with no new resolution: the targets it does not hold
 * are anonymized, and the held ones too once released with --approve; any other outcome is
 * recorded as the plan found it.
 */
export async function applyPlannedRequest(entry: PlannedRequest, context: ApplyContext): Promise<RequestEvent> {
  const base = requestEventBase(context.runId, entry);
  const counts = { conversations: entry.conversations.length, visitors: entry.visitors.length };
  switch (entry.status) {
    case 'planned':
    case 'needs_review': {
      const targets = plannedTargets(entry);
      const release = entry.status === 'needs_review' && context.approved.has(entry.requestId);
      const recorded = context.recordResolution(resolutionEvent(context.runId, entry.requestId, targets, release));
      if (release) return eraseTargets({ ...base, approved: true, reason: released(entry.reason) }, targets, context, { release, recorded });
      return eraseTargets(base, targets, context, { release, heldReason: heldPartOf(entry.reason), recorded });
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

/** "reached 9 visitors (…); nothing anonymized" becomes "reached 9 visitors (…); released by --approve". */
function released(reason: string | undefined): string {
  return `${heldPartOf(reason) ?? 'held for review'}; released by --approve`;
}
