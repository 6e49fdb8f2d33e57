import type { TargetKind } from './ledgerEvents.js';

/**
 * Why a target was reached (docs/design.md#evidence). On a visitor, the message
 * kinds mean "the visitor of a conversation whose messages contain …", and `named_by_id` with a
 * `conversation_id#n` means the visitor of a conversation the request names.
 */
export type EvidenceKind =
  /** The request names it (`conversation_id`, `visitor_id`), or names the conversation it is the visitor of. */
  | 'named_by_id'
  /** A visitor whose profile e-mail or phone equals one of the request's. */
  | 'profile_match'
  /** A conversation whose messages contain one of the request's e-mails or phones. */
  | 'message_identifier'
  /** A conversation whose messages contain only a search string of the request. */
  | 'message_search'
  /** A conversation of a visitor reached in one of the other ways. */
  | 'visitor_conversation'
  /** Credited to this request by an earlier run of the same ledger: it no longer matches once anonymized. */
  | 'earlier_run'
  /** Erased (or to be) for another request of the ledger that names the same person by one of these identifiers. */
  | 'other_request';

export interface Evidence {
  kind: EvidenceKind;
  /** The request's identifiers that matched, by position ("email#1", "phone#2", "search#1"): never their values. */
  matched: string[];
  /** `visitor_conversation`: the visitor it was reached through, and how that visitor was reached. */
  visitor?: string;
  via?: EvidenceKind[];
  /** `other_request`: the request it was credited to first. */
  request?: string;
}

export type HoldReason =
  /** A visitor reached only through message text whose profile names someone else, and the conversations that reached it. */
  | 'conflicting_profile'
  /** Reached through message text only, by a request whose targets reach more visitors than --max-visitors-per-request. */
  | 'over_visitor_guard';

/** The profile fields that identify a person, by their names in iAdvize's Visitor type. */
export type ProfileField = 'email' | 'phoneNumber' | 'firstName' | 'lastName';

export interface Hold {
  reason: HoldReason;
  /** `conflicting_profile`, on the visitor: the fields that name someone else (their names, never their values). */
  fields?: ProfileField[];
  /** `conflicting_profile`, on a conversation: the visitor whose profile conflicts. */
  visitor?: string;
}

/** One target of a request, with why it was reached and, when it is not erased without a person's decision, why. */
export interface JudgedTarget {
  kind: TargetKind;
  id: string;
  evidence: Evidence[];
  /** A conversation's visitor, when it has one. */
  visitor?: string;
  held?: Hold;
  /** A held target a person decided on: erased or kept, by whom, and (always for a keep) why. */
  decision?: TargetDecision;
}

export interface TargetDecision {
  decision: 'erase' | 'keep';
  decidedBy: string;
  /** The reviewer's words: required for a keep. */
  reason?: string;
}
