import type { EvidenceKind, Evidence, JudgedTarget } from '../ledger/targetEvidence.js';

export type { Evidence, EvidenceKind, Hold, HoldReason, JudgedTarget, ProfileField } from '../ledger/targetEvidence.js';

/** Everything found for one request, conversations first, each kind in id order. */
export interface Resolution {
  targets: JudgedTarget[];
  /** Set when the over-match guard held the text-reached part: the visitors left after conflicts, and the limit. */
  guard?: { visitors: number; limit: number };
}

export type IdentifierKind = 'email' | 'phone' | 'search' | 'conversation_id' | 'visitor_id';

/** "email#1": the request's first e-mail. Positions count from 1 in the order the request lists them. */
export function identifierLabel(kind: IdentifierKind, index: number): string {
  return `${kind}#${index + 1}`;
}

/** Adds the evidence to the list, merging it into an entry of the same kind (and visitor). */
export function addEvidence(list: Evidence[], evidence: Evidence): void {
  const same = list.find((entry) => entry.kind === evidence.kind && entry.visitor === evidence.visitor);
  if (same === undefined) {
    list.push({ ...evidence, matched: [...evidence.matched] });
    return;
  }
  for (const label of evidence.matched) if (!same.matched.includes(label)) same.matched.push(label);
  for (const kind of evidence.via ?? []) if (!(same.via ??= []).includes(kind)) same.via.push(kind);
}

export function hasEvidence(target: Pick<JudgedTarget, 'evidence'>, kinds: readonly EvidenceKind[]): boolean {
  return target.evidence.some((entry) => kinds.includes(entry.kind));
}

/** Targets the request names or proves by profile (and what an earlier run erased for it): never held. */
export const CERTAIN_VISITOR_EVIDENCE: readonly EvidenceKind[] = ['named_by_id', 'profile_match', 'earlier_run'];
