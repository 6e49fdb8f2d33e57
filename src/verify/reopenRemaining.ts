import { isDone } from '../anonymize/targetRegistry.js';
import { targetKey, type LedgerEvent, type RequestEvent, type TargetEvent } from '../ledger/ledgerEvents.js';
import type { LedgerState } from '../ledger/ledgerState.js';
import { openLedgerWriter } from '../ledger/ledgerWriter.js';
import type { RequestVerification } from './verification.js';

/** The error name a reopened target carries: the API said it was done, yet it is still found. */
export const STILL_FOUND = 'STILL_FOUND';

/**
 * Appends, for each `remaining` request, events that make the next run with this ledger erase it
 * again: the request becomes `failed` (run retries failed requests), and each found target the ledger
 * holds as done becomes `failed` too, since run never re-sends a done target. Targets the ledger does
 * not know (a conversation written after the run) need nothing: resolving the request again finds them.
 * The caller holds the ledger's run lock. Returns how many requests were reopened.
 */
export async function reopenRemaining(
  ledgerPath: string,
  state: Pick<LedgerState, 'requests' | 'targets'>,
  verifications: readonly RequestVerification[],
  runId: string,
): Promise<number> {
  const requestEvents: RequestEvent[] = [];
  // a target two reopened requests share is reopened once, credited to both
  const targetEvents = new Map<string, TargetEvent>();
  for (const found of verifications) {
    if (found.result !== 'remaining') continue;
    const request = state.requests.get(found.requestId);
    if (request === undefined) continue;
    const targets = [
      ...found.conversationIds.map((id) => ({ kind: 'conversation' as const, id })),
      ...found.visitorIds.map((id) => ({ kind: 'visitor' as const, id })),
    ];
    for (const { kind, id } of targets) {
      const key = targetKey(kind, id);
      const target = targetEvents.get(key) ?? state.targets.get(kind, id);
      if (target === undefined || (!isDone(target.status) && !targetEvents.has(key))) continue;
      const requestIds = target.requestIds.includes(found.requestId) ? target.requestIds : [...target.requestIds, found.requestId];
      targetEvents.set(key, { ...target, runId, status: 'failed', requestIds, error: { name: STILL_FOUND } });
    }
    requestEvents.push({
      ...request,
      runId,
      status: 'failed',
      reason: `verify found ${found.conversationIds.length} conversations and ${found.visitorIds.length} visitors still matching`,
    });
  }
  const events: LedgerEvent[] = [...targetEvents.values(), ...requestEvents];
  if (events.length === 0) return 0;
  const writer = await openLedgerWriter(ledgerPath);
  try {
    await Promise.all(events.map((event) => writer.append(event)));
  } finally {
    await writer.close();
  }
  return requestEvents.length;
}
