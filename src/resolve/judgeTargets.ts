import type { CountryCode } from 'libphonenumber-js';
import type { PersonRequest } from '../requests/personRequest.js';
import { addEvidence, CERTAIN_VISITOR_EVIDENCE, hasEvidence, type Evidence, type EvidenceKind, type JudgedTarget, type Resolution } from './evidence.js';
import { profileConflicts, profileMatches, type VisitorProfile } from './profileConflicts.js';

/** What the queries reached for a request, before it is judged. */
export interface ReachedTargets {
  conversations: Map<string, { visitorId: string | null; evidence: Evidence[] }>;
  visitors: Map<string, { profile: VisitorProfile | null; evidence: Evidence[] }>;
}

export interface JudgeOptions {
  /** The over-match guard: more distinct visitors than this, and what message text alone reached is held. */
  maxVisitorsPerRequest: number;
  /** To read a profile phone written without +country code. */
  defaultCountry?: CountryCode;
}

const CERTAIN_CONVERSATION_EVIDENCE: readonly EvidenceKind[] = ['named_by_id', 'earlier_run'];

/**
 * Decides, per target, whether it is erased or held for a person (docs/design.md#evidence):
 * - certain: what an id names, a visitor whose profile e-mail or phone is the request's, what an
 *   earlier run erased for it, and every conversation of those visitors; never held;
 * - conflicting: a visitor reached only through message text whose profile names someone else, and
 *   the conversations it was reached through or has: held;
 * - the rest was reached through message text alone: held too when the visitors left exceed the guard.
 */
export function judgeTargets(request: PersonRequest, reached: ReachedTargets, options: JudgeOptions): Resolution {
  const visitors = [...reached.visitors].sort(byKey).map(([id, found]): JudgedTarget => {
    const evidence = found.evidence.map(copyEvidence);
    const matched = found.profile === null ? [] : profileMatches(found.profile, request, options.defaultCountry);
    if (matched.length > 0) addEvidence(evidence, { kind: 'profile_match', matched });
    const target: JudgedTarget = { kind: 'visitor', id, evidence };
    if (!hasEvidence(target, CERTAIN_VISITOR_EVIDENCE) && found.profile !== null) {
      const fields = profileConflicts(found.profile, request, options.defaultCountry);
      if (fields.length > 0) target.held = { reason: 'conflicting_profile', fields };
    }
    return target;
  });
  const visitorById = new Map(visitors.map((visitor) => [visitor.id, visitor]));
  const isCertainVisitor = (id: string | undefined) => id !== undefined && hasEvidence(visitorById.get(id) ?? { evidence: [] }, CERTAIN_VISITOR_EVIDENCE);

  const conversations = [...reached.conversations].sort(byKey).map(([id, found]): JudgedTarget => {
    const evidence = found.evidence.map((entry) =>
      entry.kind === 'visitor_conversation' ? throughVisitor(entry, visitorById.get(entry.visitor ?? '')) : copyEvidence(entry),
    );
    const target: JudgedTarget = { kind: 'conversation', id, evidence, ...(found.visitorId !== null ? { visitor: found.visitorId } : {}) };
    const visitor = found.visitorId === null ? undefined : visitorById.get(found.visitorId);
    if (!isCertainConversation(target) && visitor?.held !== undefined) target.held = { reason: 'conflicting_profile', visitor: visitor.id };
    return target;
  });

  function isCertainConversation(target: JudgedTarget): boolean {
    return hasEvidence(target, CERTAIN_CONVERSATION_EVIDENCE) || isCertainVisitor(target.visitor);
  }
  const isCertain = (target: JudgedTarget) => (target.kind === 'visitor' ? isCertainVisitor(target.id) : isCertainConversation(target));

  const targets = [...conversations, ...visitors];
  const visitorsLeft = visitors.filter((visitor) => visitor.held === undefined).length;
  const guarded = visitorsLeft > options.maxVisitorsPerRequest ? targets.filter((target) => target.held === undefined && !isCertain(target)) : [];
  for (const target of guarded) target.held = { reason: 'over_visitor_guard' };
  return { targets, ...(guarded.length > 0 ? { guard: { visitors: visitorsLeft, limit: options.maxVisitorsPerRequest } } : {}) };
}

/** A conversation of a visitor: the visitor's own evidence says how it was reached. */
function throughVisitor(entry: Evidence, visitor: JudgedTarget | undefined): Evidence {
  const via = [...new Set((visitor?.evidence ?? []).map((evidence) => evidence.kind))];
  const matched = [...new Set((visitor?.evidence ?? []).flatMap((evidence) => evidence.matched))];
  return { kind: 'visitor_conversation', matched, ...(entry.visitor !== undefined ? { visitor: entry.visitor } : {}), via };
}

function copyEvidence(entry: Evidence): Evidence {
  return { ...entry, matched: [...entry.matched], ...(entry.via !== undefined ? { via: [...entry.via] } : {}) };
}

function byKey<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
