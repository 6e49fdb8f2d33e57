import type { RequestEvidence } from './evidenceSummary.js';

/** Why a request calls for a person now. */
export type Concern = 'needs_review' | 'failed' | 'rejected' | 'overdue' | 'verify_remaining' | 'verify_failed' | 'verify_not_checked';

const CONCERN_OF_STATUS: Partial<Record<RequestEvidence['status'], Concern>> = { needs_review: 'needs_review', failed: 'failed', rejected: 'rejected' };
const CONCERN_OF_VERIFY: Partial<Record<string, Concern>> = { remaining: 'verify_remaining', failed: 'verify_failed', not_checked: 'verify_not_checked' };

type Judged = Pick<RequestEvidence, 'status' | 'deadlineFlag' | 'verify'>;

export function concernsOf(request: Judged): Concern[] {
  const concerns: Concern[] = [];
  const ofStatus = CONCERN_OF_STATUS[request.status];
  if (ofStatus !== undefined) concerns.push(ofStatus);
  if (request.deadlineFlag === 'overdue') concerns.push('overdue');
  const ofVerify = request.verify === undefined ? undefined : CONCERN_OF_VERIFY[request.verify.result];
  if (ofVerify !== undefined) concerns.push(ofVerify);
  return concerns;
}

/**
 * Most urgent first: those a person must act on (held, failed, rejected, overdue, or not clean
 * at verify), then those due within 7 days, then the rest; each group by deadline, the unknown
 * and the undated last. Sort is stable: ties keep the order of the input files.
 */
export function byUrgency(a: Pick<RequestEvidence, 'concerns' | 'deadlineFlag' | 'deadline'>, b: typeof a): number {
  return rankOf(a) - rankOf(b) || compareDeadlines(a.deadline, b.deadline);
}

function rankOf(request: Pick<RequestEvidence, 'concerns' | 'deadlineFlag'>): number {
  if (request.concerns.length > 0) return 0;
  return request.deadlineFlag === 'due_soon' ? 1 : 2;
}

/** ISO instants of one format compare as text; `unknown` and empty go last. */
function compareDeadlines(a: string, b: string): number {
  const aDated = a !== '' && a !== 'unknown';
  const bDated = b !== '' && b !== 'unknown';
  if (aDated !== bDated) return aDated ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
