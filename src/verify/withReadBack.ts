import type { RequestReadBack } from './readBackRequests.js';
import type { RequestVerification } from './verification.js';

/**
 * A request's verification once its targets were read back. A target still holding data after the
 * re-check makes it `remaining` and joins its found ids (so `--reopen` sends it again); a target its
 * search found that read back empty after the re-check leaves them (its erasure finished meanwhile);
 * a read-back an API error kept from reading makes a `clean` request `failed`, since clean would
 * then vouch for more than was read.
 */
export function withReadBack(verification: RequestVerification, readBack: RequestReadBack | undefined): RequestVerification {
  if (readBack === undefined) return verification;
  const { failedCode, cleared, ...counts } = readBack;
  const idsOf = (targets: RequestReadBack['remaining'], kind: 'conversation' | 'visitor') =>
    targets.filter((target) => target.kind === kind).map((target) => target.id);
  const merged: RequestVerification = {
    ...verification,
    conversationIds: revised(verification.conversationIds, idsOf(cleared, 'conversation'), idsOf(counts.remaining, 'conversation')),
    visitorIds: revised(verification.visitorIds, idsOf(cleared, 'visitor'), idsOf(counts.remaining, 'visitor')),
    readBack: counts,
  };
  const found = merged.conversationIds.length + merged.visitorIds.length > 0;
  if (found && verification.result !== 'remaining') return { ...merged, result: 'remaining', reason: 'read back not empty after the re-check' };
  if (!found && verification.result === 'remaining') {
    const settled: RequestVerification = { ...merged, result: 'clean', reason: 'found at first, read back empty after the re-check' };
    return failedCode === undefined ? settled : { ...settled, result: 'failed', reason: `read-back failed: ${failedCode}` };
  }
  if (failedCode !== undefined && merged.result === 'clean') return { ...merged, result: 'failed', reason: `read-back failed: ${failedCode}` };
  return merged;
}

/** The ids found, less those cleared, plus those read back not empty; unchanged (order kept) when nothing moves. */
function revised(ids: readonly string[], cleared: readonly string[], remaining: readonly string[]): string[] {
  if (cleared.length === 0 && remaining.every((id) => ids.includes(id))) return [...ids];
  const kept = new Set(ids.filter((id) => !cleared.includes(id)));
  for (const id of remaining) kept.add(id);
  return [...kept].sort();
}
