import type { RequestStatus } from '../ledger/ledgerEvents.js';
import type { JudgedTarget } from '../ledger/targetEvidence.js';
import type { RequestSource } from '../requests/personRequest.js';
import type { DateOrder } from '../requests/receivedAtInstant.js';
import type { TextEncoding } from '../requests/textEncoding.js';

/** `plan` writes this; `apply` refuses any other format. */
export const PLAN_FORMAT = 'iadvize-erasure-plan/1';

/** A plan never holds `completed`: it is made without mutating. */
export type PlannedStatus = Exclude<RequestStatus, 'completed'>;
export const PLANNED_STATUSES: readonly PlannedStatus[] = ['planned', 'needs_review', 'no_match', 'rejected', 'failed'];

/** One request of a plan: ids, counts and reasons only, like the ledger. */
export interface PlannedRequest {
  requestId: string;
  /** `planned`: apply anonymizes its targets; `needs_review`: the targets not held, and the held ones once released with --approve. */
  status: PlannedStatus;
  source: RequestSource;
  receivedAt?: string;
  /** The file's received_at could not be read: the deadline is unknown. */
  receivedAtUnreadable?: true;
  reason?: string;
  /** Every target the request reached, held ones included: what releasing it would erase. */
  conversations: string[];
  visitors: string[];
  /**
   * The same targets, each with its evidence and, when held, why. A plan written before evidence
   * existed has none: its `needs_review` requests are then held whole, as they were planned.
   */
  targets?: JudgedTarget[];
}

/**
 * What `plan` resolved and `apply` executes, exactly: the targets per request, the held requests
 * with theirs, and the input files' SHA-256 so apply can refuse inputs changed since.
 */
export interface Plan {
  format: typeof PLAN_FORMAT;
  planId: string;
  createdAt: string;
  version: string;
  /** Absolute paths, so apply finds them from any working directory. */
  inputs: { file: string; sha256: string }[];
  options: {
    projectIds: number[];
    interval: { from: string; to: string };
    maxVisitorsPerRequest: number;
    defaultCountry: string | null;
    /** How the files were read: apply records both, so that verify reads them the same way. Absent in older plans. */
    encoding?: TextEncoding | null;
    dateOrder?: DateOrder;
    /** `--sheet`, the sheet of the .xlsx files read; absent in older plans. */
    sheet?: string | null;
    shard: string | null;
  };
  counts: {
    requests: Partial<Record<PlannedStatus, number>>;
    /** Distinct targets apply erases (of planned requests, and the part of held ones that is not held), then the held ones. */
    planned: { conversations: number; visitors: number };
    held: { conversations: number; visitors: number };
  };
  /** Oldest received first, then in input order: the order apply works in. */
  requests: PlannedRequest[];
}
