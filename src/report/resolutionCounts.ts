import type { ResolutionEvent, TargetKind, TargetStatus } from '../ledger/ledgerEvents.js';
import type { EvidenceKind, HoldReason, JudgedTarget } from '../ledger/targetEvidence.js';

/** Where a target of a request stands, from its target event and its judgement: what the evidence report counts. */
export type TargetOutcome = 'erased' | 'kept' | 'held' | 'failed' | 'not_sent';

export const TARGET_OUTCOMES: readonly TargetOutcome[] = ['erased', 'kept', 'held', 'failed', 'not_sent'];

/** Targets by kind reached, and by where they stand. */
export type OutcomeCounts = Record<TargetKind, number> & Record<TargetOutcome, number>;

/** What one request's latest resolution event says, as counts: never a target's id. */
export interface ResolutionCounts {
  /** Each target once. */
  targets: OutcomeCounts;
  /** A target counts under each kind of its evidence, once per kind. */
  byEvidence: Partial<Record<EvidenceKind, OutcomeCounts>>;
  /** The targets judged held, by why, whatever was decided on them since. */
  heldByReason: Partial<Record<HoldReason, number>>;
  /** The held targets a person decided on. */
  decisions: { erase: number; keep: number };
  /** Each reason a reviewer gave for a keep, with how many targets it kept, in the order first given. */
  keepReasons: KeepReason[];
  decidedBy?: string;
  decidedAt?: string;
  approved: boolean;
}

/** The reviewer's own words for keeping targets: shown as given (they are not the erased person's data). */
export interface KeepReason {
  decidedBy: string;
  reason: string;
  targets: number;
}

export type TargetStatusOf = (kind: TargetKind, id: string) => TargetStatus | undefined;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { conversation: 0, visitor: 0, erased: 0, kept: 0, held: 0, failed: 0, not_sent: 0 };
}

/**
 * Erased when its last target event says so, whatever was decided; otherwise kept by a person,
 * still held for one, failed, or not sent (a dry run, or a run cut short).
 */
export function targetOutcome(target: JudgedTarget, status: TargetStatus | undefined): TargetOutcome {
  if (status === 'anonymized' || status === 'already_anonymized') return 'erased';
  if (target.decision?.decision === 'keep') return 'kept';
  if (target.held !== undefined && target.decision === undefined) return 'held';
  if (status === 'failed') return 'failed';
  return 'not_sent';
}

/** One resolution event as counts; `statusOf` gives each target's last status in the ledger. */
export function countResolution(event: ResolutionEvent, statusOf: TargetStatusOf): ResolutionCounts {
  const counts: ResolutionCounts = {
    targets: emptyOutcomeCounts(),
    byEvidence: {},
    heldByReason: {},
    decisions: { erase: 0, keep: 0 },
    keepReasons: [],
    approved: event.approved === true,
    ...(event.decidedBy !== undefined ? { decidedBy: event.decidedBy } : {}),
    ...(event.decidedAt !== undefined ? { decidedAt: event.decidedAt } : {}),
  };
  const keepReasons = new Map<string, KeepReason>();
  for (const target of Array.isArray(event.targets) ? event.targets : []) {
    const outcome = targetOutcome(target, statusOf(target.kind, target.id));
    addTarget(counts.targets, target.kind, outcome);
    for (const kind of new Set((target.evidence ?? []).map((evidence) => evidence.kind))) {
      addTarget((counts.byEvidence[kind] ??= emptyOutcomeCounts()), target.kind, outcome);
    }
    if (target.held !== undefined) counts.heldByReason[target.held.reason] = (counts.heldByReason[target.held.reason] ?? 0) + 1;
    if (target.decision !== undefined) {
      counts.decisions[target.decision.decision] += 1;
      if (target.decision.decision === 'keep') {
        const { decidedBy, reason = '' } = target.decision;
        const key = JSON.stringify([decidedBy, reason]);
        const known = keepReasons.get(key);
        if (known === undefined) keepReasons.set(key, { decidedBy, reason, targets: 1 });
        else known.targets += 1;
      }
    }
  }
  counts.keepReasons = [...keepReasons.values()];
  return counts;
}

function addTarget(counts: OutcomeCounts, kind: TargetKind, outcome: TargetOutcome): void {
  counts[kind] += 1;
  counts[outcome] += 1;
}
