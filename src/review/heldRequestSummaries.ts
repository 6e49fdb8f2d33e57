import type { HeldSubject } from '../decisions/heldSubject.js';
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
  targets: JudgedTarget[];
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
    targets: held.targets,
  }));
}
