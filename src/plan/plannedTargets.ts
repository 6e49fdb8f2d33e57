import type { JudgedTarget } from '../ledger/targetEvidence.js';
import type { PlannedRequest } from './plan.js';

/**
 * A planned request's targets as apply executes them. A plan written before evidence existed lists
 * ids only: its held (`needs_review`) requests were held whole by the over-match guard.
 */
export function plannedTargets(entry: PlannedRequest): JudgedTarget[] {
  if (entry.targets !== undefined) return entry.targets;
  const held = entry.status === 'needs_review' ? { held: { reason: 'over_visitor_guard' as const } } : {};
  return [
    ...entry.conversations.map((id) => ({ kind: 'conversation' as const, id, evidence: [], ...held })),
    ...entry.visitors.map((id) => ({ kind: 'visitor' as const, id, evidence: [], ...held })),
  ];
}
