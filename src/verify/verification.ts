import type { TargetKind } from '../ledger/ledgerEvents.js';
import type { Outcome } from '../outcome/outcome.js';
import type { RequestSource } from '../requests/personRequest.js';

/**
 * What verify says of one completed request: `clean` (nothing found), `remaining` (something still
 * found), `not_checked` (its input could not be read as the run read it) or `failed` (an API error).
 */
export type VerifyResult = 'clean' | 'remaining' | 'not_checked' | 'failed';

export const VERIFY_RESULTS: readonly VerifyResult[] = ['clean', 'remaining', 'not_checked', 'failed'];

export interface RequestVerification {
  requestId: string;
  /** Where the ledger says the request came from; orders the report. */
  source: RequestSource;
  result: VerifyResult;
  /** Conversations whose messages still contain one of the request's texts. */
  conversationIds: string[];
  /** Visitors still found by one of the request's e-mails or phones. */
  visitorIds: string[];
  /** Why not checked, or the API error's code; never a value from the request. */
  reason?: string;
  /** What reading back the targets the ledger holds as erased showed; absent when the request was not read back. */
  readBack?: ReadBackCounts;
}

/** Counts, and the ids of the targets still holding data: never what was read. */
export interface ReadBackCounts {
  /** Visitor profiles read back with e-mail, phone and names empty. */
  profilesEmpty: number;
  /** Conversations read back with no message left. */
  conversationsEmpty: number;
  /** Targets that could not be read back: nothing to read them by, or an API error. */
  notRead: number;
  /** Read back not empty, again after the re-check: still holding data the API said it erased. */
  remaining: { kind: TargetKind; id: string }[];
}

export function verification(
  requestId: string,
  source: RequestSource,
  result: Exclude<VerifyResult, 'remaining' | 'clean'>,
  reason: string,
): RequestVerification {
  return { requestId, source, result, conversationIds: [], visitorIds: [], reason };
}

export function countResults(verifications: Iterable<RequestVerification>): Record<VerifyResult, number> {
  const counts: Record<VerifyResult, number> = { clean: 0, remaining: 0, not_checked: 0, failed: 0 };
  for (const { result } of verifications) counts[result] += 1;
  return counts;
}

/**
 * Something found outranks what could not be checked: the re-run it calls for comes first, then a
 * person's look at the rest (the same order as run's exit codes).
 */
export function outcomeOfVerification(counts: Record<VerifyResult, number>): Outcome {
  if (counts.remaining > 0) return 'failed_targets';
  if (counts.not_checked > 0 || counts.failed > 0) return 'needs_person';
  return 'ok';
}
