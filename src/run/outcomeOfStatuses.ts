import type { RequestStatus } from '../ledger/ledgerEvents.js';
import type { Outcome } from '../outcome/outcome.js';

/** Failed targets outrank held requests: a re-run is the next step, then a person's decision. */
export function outcomeOfStatuses(statuses: Iterable<RequestStatus>): Outcome {
  let outcome: Outcome = 'ok';
  for (const status of statuses) {
    if (status === 'failed') return 'failed_targets';
    if (status === 'rejected' || status === 'needs_review') outcome = 'needs_person';
  }
  return outcome;
}
