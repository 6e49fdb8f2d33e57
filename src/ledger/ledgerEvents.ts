import type { HoldReason, JudgedTarget } from './targetEvidence.js';

/**
 * The ledger's events (docs/design.md#ledger): JSON Lines, append-only; on reading, the last
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
  /** `idBase`: what its rows without request_id are named after, when not the file's name (requestIdBases.ts). */
  inputs: { file: string; sha256: string; idBase?: string }[];
  /** The options that shape the outcome (no secrets). */
  options: Record<string, unknown>;
  /** Set when the run applies a plan (`apply`): the plan's id and the SHA-256 of its file. */
  plan?: { file: string; sha256: string; planId: string };
  /** Request ids released from review with `--approve`. */
  approved?: string[];
  /** Who released them (`--reviewer`, else the account running the command). */
  approvedBy?: string;
  /** Set when the run executes a decisions file (`apply --decisions`): its path and SHA-256. */
  decisions?: { file: string; sha256: string };
  /** Set when the run decides held requests of a ledger (`apply <ledger> --decisions`): that ledger, which the run appends to. */
  heldIn?: string;
  /** The API endpoint the run talked to: a ledger is refused for another one (another account). */
  endpoint?: string;
  /** Names the key the run's digests were made with (digestKey.ts): digests compare only under the same key. */
  digestKeyId?: string;
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
  /** The request_id its file gives, when the ledger records it under another (requestIdentity.ts). */
  fileRequestId?: string;
  /** Keyed digest of what the request asks (requestDigests.ts): a later request with its id is the same request only if this is equal. */
  contentDigest?: string;
  /** Held for review, then released by a person with `--approve`: every held target was erased too. */
  approved?: true;
  /** A person decided its held targets (`--approve`, or a decisions file): who, and when. */
  decidedBy?: string;
  decidedAt?: string;
  /** Held targets a person decided to keep: not erased, by decision (the resolution event says why for each). */
  kept?: { conversations: number; visitors: number };
  /** Targets not erased, waiting for a person's decision (the request is `needs_review`); the rest was erased. */
  held?: HeldCounts;
}

/** How much of a request is held for review, and why, as counts. */
export interface HeldCounts {
  conversations: number;
  visitors: number;
  /** Targets held, by reason. */
  reasons: Partial<Record<HoldReason, number>>;
}

/**
 * Why each target of a request was reached, and which are held: written once a request is resolved,
 * before any of its targets is sent. Evidence names the request's identifiers by position, never by value.
 */
export interface ResolutionEvent {
  type: 'resolution';
  runId: string;
  requestId: string;
  /**
   * Short keyed digests of the identifiers that name the person (e-mails, phones, ids), by label:
   * a later request sharing one is credited with what this one erased. Written before `targets`,
   * so that a resume reads them without parsing the targets.
   */
  identifiers?: Record<string, string>;
  targets: JudgedTarget[];
  /** Released with `--approve`: the held targets are erased as well. */
  approved?: true;
  /** Its held targets were decided by this person (each target's `decision` says erase or keep, and why). */
  decidedBy?: string;
  decidedAt?: string;
}

export interface SummaryEvent {
  type: 'summary';
  runId: string;
  finishedAt: string;
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  /** Targets held for review in the requests still `needs_review`. */
  held?: { conversations: number; visitors: number };
  exitCode: number;
}

export type LedgerEvent = RunEvent | TargetEvent | RequestEvent | ResolutionEvent | SummaryEvent;

export function targetKey(kind: TargetKind, id: string): string {
  return `${kind}:${id}`;
}
