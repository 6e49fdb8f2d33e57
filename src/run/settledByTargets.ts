import { isDone } from '../anonymize/targetRegistry.js';
import type { RequestEvent } from '../ledger/ledgerEvents.js';
import type { LedgerState } from '../ledger/ledgerState.js';

/**
 * The `failed` requests every target of which is now done: a target shared with another request
 * that failed for this one and was then erased for the other. A request's status follows its
 * targets' final statuses, so each gets a `completed` event. One whose resolution failed (it
 * recorded no targets of its own) is left failed: nothing shows its search was ever complete.
 */
export function settledByTargets(state: Pick<LedgerState, 'requests' | 'targets'>, runId: string): RequestEvent[] {
  const failed = [...state.requests.values()].filter(
    (event) => event.status === 'failed' && event.held === undefined && event.conversations + event.visitors > 0,
  );
  if (failed.length === 0) return [];
  const targetsOf = state.targets.targetsByRequest();
  const settled: RequestEvent[] = [];
  for (const event of failed) {
    const targets = targetsOf(event.requestId);
    if (targets.length !== event.conversations + event.visitors) continue;
    if (!targets.every(({ kind, id }) => isDone(state.targets.get(kind, id)?.status ?? 'failed'))) continue;
    settled.push({ ...event, runId, status: 'completed', reason: 'the targets that had failed for it were erased for another request since' });
  }
  return settled;
}
