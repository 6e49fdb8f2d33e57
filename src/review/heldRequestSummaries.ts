import type { HeldSubject } from '../decisions/heldSubject.js';
import { targetKey, type TargetStatus } from '../ledger/ledgerEvents.js';
import type { JudgedTarget } from '../ledger/targetEvidence.js';
import type { RequestSource } from '../requests/personRequest.js';

/** What the page lists before any request is opened: ids, deadlines, reasons and evidence, no personal data. */
export interface HeldRequestSummary {
  requestId: string;
  source: RequestSource;
  deadline?: string;
  receivedAt?: string;
  deadlineUnknown?: true;
  reason?: string;
  /** The input file could not be found or checked: identifiers cannot be shown. */
  inputProblem?: string;
  /** Each with what the ledger says of it, when it was sent (a held one may be erased already, for another request). */
  targets: (JudgedTarget & { ledgerStatus?: TargetStatus })[];
}

/** The held requests in the subject's order: most urgent deadline first (readHeldSubject sorts them). */
export function heldRequestSummaries(subject: HeldSubject): HeldRequestSummary[] {
  return subject.requests.map((held) => ({
    requestId: held.requestId,
    source: held.source,
    ...(held.deadline !== undefined ? { deadline: held.deadline } : { deadlineUnknown: true as const }),
    ...(held.receivedAt !== undefined ? { receivedAt: held.receivedAt } : {}),
    ...(held.reason !== undefined ? { reason: held.reason } : {}),
    ...('problem' in held.input ? { inputProblem: held.input.problem } : {}),
    targets: held.targets.map((target) => {
      const ledgerStatus = held.targetStatuses?.[targetKey(target.kind, target.id)];
      return ledgerStatus !== undefined ? { ...target, ledgerStatus } : target;
    }),
  }));
}
