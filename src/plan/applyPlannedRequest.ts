import { eraseTargets, requestEventBase, type EraseContext } from '../anonymize/eraseTargets.js';
import type { RequestEvent } from '../ledger/ledgerEvents.js';
import type { PlannedRequest } from './plan.js';

export interface ApplyContext extends EraseContext {
  runId: string;
  /** `--approve`: held requests a person has reviewed and released. */
  approved: ReadonlySet<string>;
}

/**
 * One request of a plan, exactly as planned, with no new resolution: its listed targets are
 * anonymized if it was planned, or held and released with --approve; any other outcome is recorded
 * as the plan found it.
 */
export async function applyPlannedRequest(entry: PlannedRequest, context: ApplyContext): Promise<RequestEvent> {
  const base = requestEventBase(context.runId, entry);
  const targets = { conversationIds: entry.conversations, visitorIds: entry.visitors };
  const counts = { conversations: entry.conversations.length, visitors: entry.visitors.length };
  switch (entry.status) {
    case 'planned':
      return eraseTargets(base, targets, context);
    case 'needs_review':
      if (context.approved.has(entry.requestId)) return eraseTargets({ ...base, approved: true, reason: released(entry.reason) }, targets, context);
      return { ...base, status: 'needs_review', ...counts, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) };
    case 'failed':
      return { ...base, status: 'failed', ...counts, reason: `${entry.reason ?? 'failed'} when planning; make a new plan for it` };
    default:
      return { ...base, status: entry.status, ...counts, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) };
  }
}

/** "reached 9 visitors (…); nothing anonymized" becomes "reached 9 visitors (…); released by --approve". */
function released(reason: string | undefined): string {
  return `${(reason ?? 'held for review').replace(/; nothing anonymized$/, '')}; released by --approve`;
}
