import type { TargetKind } from '../ledger/ledgerEvents.js';

/** `review` writes this, `apply --decisions` executes it; any other format is refused. */
export const DECISIONS_FORMAT = 'iadvize-erasure-decisions/1';

export type Decision = 'erase' | 'keep';

/** One held target and what the reviewer decided; a keep always says why. */
export interface DecidedTarget {
  kind: TargetKind;
  id: string;
  decision: Decision;
  reason?: string;
}

/** Every held target of one request, decided by one person at one time. */
export interface RequestDecisions {
  requestId: string;
  reviewer: string;
  decidedAt: string;
  targets: DecidedTarget[];
}

/**
 * A reviewer's decisions on held targets (docs/design.md#decisions): UUIDs, decisions, reviewer,
 * reasons and times, never the person's data. `subject` binds it to the plan or ledger reviewed.
 */
export interface DecisionsFile {
  format: typeof DECISIONS_FORMAT;
  subject: DecisionsSubject;
  requests: RequestDecisions[];
}

/**
 * A plan is named by its id and SHA-256 (it never changes); a ledger grows, so each request's
 * decisions name the run whose resolution was reviewed instead (`resolvedIn`).
 */
export type DecisionsSubject =
  { kind: 'plan'; file: string; planId: string; sha256: string } | { kind: 'ledger'; file: string; resolvedIn: Record<string, string> };
