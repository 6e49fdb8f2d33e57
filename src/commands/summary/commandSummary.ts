import type { ClientStats } from '../../api/iadvizeClient.js';
import type { RequestStatus, TargetStatus } from '../../ledger/ledgerEvents.js';
import type { Outcome } from '../../outcome/outcome.js';

/** Raised only when a key is removed or changes meaning; new keys keep it (docs/design.md#end-summary). */
export const SUMMARY_VERSION = 1;

export type SummaryCommand = 'run' | 'plan' | 'apply' | 'verify' | 'watch' | 'report';

/** What a person or a script does next, and the command line that does it. */
export interface NextStep {
  reason: string;
  /** null when the step is not a command to run (e.g. hand a file to someone). */
  command: string | null;
}

/** Paths only; a key is present when the command wrote or read that file. */
export interface SummaryFiles {
  ledger?: string;
  report?: string;
  plan?: string;
  verifyReport?: string;
  readBackReport?: string;
  html?: string;
  /** watch: the drop folder. */
  folder?: string;
  /** watch, per file: its input where it is now, and its summary.json. */
  input?: string;
  summary?: string;
}

/**
 * How a command ended, for a person (renderSummaryText.ts) and a script (--json): the same object.
 * Counts, ids and paths only, never personal data. Every count of a key set is present, zero or not,
 * so a script reads `.requests.failed` without a default.
 */
export interface CommandSummary {
  summaryVersion: typeof SUMMARY_VERSION;
  /** `summary` ends a command; watch writes a `file` object per file before it. */
  type: 'summary' | 'file';
  command: SummaryCommand;
  outcome: Outcome;
  exitCode: number;
  durationMs: number;
  /** By status; verify: by verification result. */
  requests: Record<string, number>;
  /** By status; verify: what reading back found. */
  targets: Record<string, number>;
  /** Targets waiting for a person's decision in the ledger's needs_review requests. */
  held: { conversations: number; visitors: number };
  api: ClientStats;
  files: SummaryFiles;
  next: NextStep[];
  /** Why the run stopped sending before the end (the circuit breaker); null otherwise. */
  stoppedBecause: string | null;
  /** One object per command that has more to say, under its own name. */
  plan?: PlanDetails;
  verify?: VerifyDetails;
  watch?: WatchDetails;
  report?: ReportDetails;
  /** watch, `file` objects: the file as dropped, and how its name was claimed. */
  file?: WatchedFileDetails;
}

export interface PlanDetails {
  planned: { conversations: number; visitors: number };
  held: { conversations: number; visitors: number };
  /** False when the dry run was cut short: the plan was not written. */
  written: boolean;
}

export interface VerifyDetails {
  /** Requests not checked because they are not completed, by status. */
  notCompleted: Record<string, number>;
  reopened: number;
}

export interface WatchDetails {
  /** Files by what became of them: done, failed, duplicate, or interrupted (left in processing/). */
  files: Record<'done' | 'failed' | 'duplicate' | 'interrupted', number>;
}

export interface ReportDetails {
  /** Requests the evidence report flags for a person (a deadline, a hold, a failure, something found by verify). */
  needingAPerson: number;
  overdue: number;
  dueSoon: number;
}

export interface WatchedFileDetails {
  name: string;
  claimedAs: string;
  /** done, failed, duplicate, or interrupted. */
  result: 'done' | 'failed' | 'duplicate' | 'interrupted';
  duplicateOf: string | null;
  /** The error's name when the run ended on one. */
  error: string | null;
}

export const NO_API_CALLS: ClientStats = { calls: 0, retries: 0, rateLimited: 0 };

/** Every key of `keys` present, counted 0 when absent. */
export function countsOver<K extends string>(keys: readonly K[], counts: Partial<Record<string, number>>): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, counts[key] ?? 0])) as Record<K, number>;
}

export function heldOrNone(held: { conversations: number; visitors: number } | undefined): { conversations: number; visitors: number } {
  return { conversations: held?.conversations ?? 0, visitors: held?.visitors ?? 0 };
}

const REQUEST_STATUS_KEYS: Record<RequestStatus, true> = { completed: true, no_match: true, needs_review: true, rejected: true, failed: true, planned: true };
const TARGET_STATUS_KEYS: Record<TargetStatus, true> = { anonymized: true, already_anonymized: true, failed: true, planned: true };
/** In the order a person reads them: done first, then what needs them. */
export const REQUEST_STATUSES = Object.keys(REQUEST_STATUS_KEYS) as RequestStatus[];
export const TARGET_STATUSES = Object.keys(TARGET_STATUS_KEYS) as TargetStatus[];
