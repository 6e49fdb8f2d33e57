import { isDone } from '../anonymize/targetRegistry.js';
import type { LedgerState } from '../ledger/ledgerState.js';
import type { TargetName } from '../ledger/targetTable.js';
import type { InputGroup } from './planVerification.js';
import type { RequestVerification } from './verification.js';

/** One request to read back: the targets the ledger holds as erased for it, and the interval its check searched. */
export interface ReadBackEntry {
  requestId: string;
  interval: { from: string; to: string };
  targets: TargetName[];
  /**
   * Targets its search still found that the ledger holds as erased: their anonymization may still be
   * under way, so they are read again after the re-check's wait before the request is called remaining.
   */
  found: TargetName[];
}

/**
 * The requests whose check ran (`clean` or `remaining`), each with every target the ledger credits
 * it with and holds as done (`anonymized` or `already_anonymized`: the API said both are erased),
 * and the done targets its search found. A request not checked or whose check failed is not read
 * back: its row already calls for a person.
 */
export function planReadBack(
  targets: Pick<LedgerState['targets'], 'get' | 'targetsByRequest'>,
  groups: readonly Pick<InputGroup, 'checks'>[],
  verifications: readonly RequestVerification[],
): ReadBackEntry[] {
  const intervals = new Map<string, { from: string; to: string }>();
  for (const group of groups) for (const check of group.checks.values()) intervals.set(check.requestId, check.interval);
  const targetsOf = targets.targetsByRequest();
  const entries: ReadBackEntry[] = [];
  const isErased = ({ kind, id }: TargetName) => {
    const target = targets.get(kind, id);
    return target !== undefined && isDone(target.status);
  };
  for (const { requestId, result, conversationIds, visitorIds } of verifications) {
    const interval = intervals.get(requestId);
    if ((result !== 'clean' && result !== 'remaining') || interval === undefined) continue;
    const seen = new Set<string>();
    const done = targetsOf(requestId).filter((target) => {
      const key = `${target.kind}:${target.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return isErased(target);
    });
    const found: TargetName[] = [
      ...conversationIds.map((id) => ({ kind: 'conversation' as const, id })),
      ...visitorIds.map((id) => ({ kind: 'visitor' as const, id })),
    ].filter(isErased);
    entries.push({ requestId, interval, targets: done, found });
  }
  return entries;
}
