import type { RequestStatus, TargetStatus } from './ledgerEvents.js';
import type { LedgerState } from './ledgerState.js';

export interface LedgerCounts {
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  /** Targets held for review by the requests still `needs_review`; absent when none is. */
  held?: { conversations: number; visitors: number };
}

/** How many requests and targets are in each status, by their latest event, and how many targets are held. */
export function summarize(state: Pick<LedgerState, 'requests' | 'targets'>): LedgerCounts {
  const requests: Partial<Record<RequestStatus, number>> = {};
  const held = { conversations: 0, visitors: 0 };
  for (const event of state.requests.values()) {
    requests[event.status] = (requests[event.status] ?? 0) + 1;
    if (event.status !== 'needs_review' || event.held === undefined) continue;
    held.conversations += event.held.conversations;
    held.visitors += event.held.visitors;
  }
  const anyHeld = held.conversations + held.visitors > 0;
  return { requests, targets: state.targets.statusCounts(), ...(anyHeld ? { held } : {}) };
}
