/**
 * The ledger's events (DESIGN.md "Ledger"): JSON Lines, append-only; on reading, the last
 * event for a key wins. Only ids, line numbers, counts and error names: never personal data.
 */
export type TargetKind = 'conversation' | 'visitor';
export type TargetStatus = 'anonymized' | 'already_anonymized' | 'failed' | 'planned';
export type RequestStatus = 'completed' | 'no_match' | 'needs_review' | 'rejected' | 'failed' | 'planned';

export interface RunEvent {
  type: 'run';
  runId: string;
  startedAt: string;
  version: string;
  inputs: { file: string; sha256: string }[];
  /** The options that shape the outcome (no secrets). */
  options: Record<string, unknown>;
  /** Set when the run applies a plan (`apply`): the plan's id and the SHA-256 of its file. */
  plan?: { file: string; sha256: string; planId: string };
  /** Request ids released from review with `--approve`. */
  approved?: string[];
}

export interface TargetEvent {
  type: 'target';
  runId: string;
  kind: TargetKind;
  id: string;
  status: TargetStatus;
  requestIds: string[];
  attempts: number;
  error?: { name: string };
}

export interface RequestEvent {
  type: 'request';
  runId: string;
  requestId: string;
  status: RequestStatus;
  source: { file: string; line: number };
  conversations: number;
  visitors: number;
  reason?: string;
  /** When the person asked (from the file's received_at): the report's deadline comes from it. */
  receivedAt?: string;
  /** The file's received_at for it could not be read: its deadline is unknown. */
  receivedAtUnreadable?: true;
  /** HMAC-SHA256 of each normalized identifier, when IADVIZE_PII_KEY is set: proof without the data. */
  identifierDigests?: string[];
  /** Held for review by the over-match guard, then released by a person with `--approve`. */
  approved?: true;
}

export interface SummaryEvent {
  type: 'summary';
  runId: string;
  finishedAt: string;
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  exitCode: number;
}

export type LedgerEvent = RunEvent | TargetEvent | RequestEvent | SummaryEvent;

export function targetKey(kind: TargetKind, id: string): string {
  return `${kind}:${id}`;
}
