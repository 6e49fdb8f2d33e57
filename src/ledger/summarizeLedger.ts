import type { RequestStatus, TargetStatus } from './ledgerEvents.js';
import type { LedgerState } from './ledgerState.js';

export interface LedgerCounts {
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
}

/** How many requests and targets are in each status, by their latest event. */
export function summarize(state: Pick<LedgerState, 'requests' | 'targets'>): LedgerCounts {
  const requests: Partial<Record<RequestStatus, number>> = {};
  for (const event of state.requests.values()) requests[event.status] = (requests[event.status] ?? 0) + 1;
  return { requests, targets: state.targets.statusCounts() };
}
