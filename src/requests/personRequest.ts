/** Where a request came from: the input file as given, and the line its first row starts on. */
export interface RequestSource {
  file: string;
  line: number;
}

/**
 * One person's erasure request, after validation and after merging the rows that share its
 * request_id. Identifiers are normalized: e-mails lower-cased, phones in E.164, UUIDs lower-cased.
 * It holds personal data: it lives in memory only and is never logged or written out.
 */
export interface PersonRequest {
  requestId: string;
  source: RequestSource;
  emails: string[];
  /** E.164, e.g. "+33612345678". */
  phones: string[];
  searches: string[];
  conversationIds: string[];
  visitorIds: string[];
  /** When the person asked (ISO date), if the file says. */
  receivedAt?: string;
  /** The file has a received_at for the request that cannot be read: its deadline is unknown. */
  receivedAtUnreadable?: true;
}

/** A request that cannot be processed as written; a person must fix the file. */
export interface RejectedRequest {
  requestId: string;
  source: RequestSource;
  /** Each bad row: its line and why, without the value (it may be personal data). */
  problems: { line: number; reason: string }[];
  /** As for a valid request: its deadline runs all the same. */
  receivedAt?: string;
  receivedAtUnreadable?: true;
}

export type ReadOutcome = { kind: 'request'; request: PersonRequest } | { kind: 'rejected'; rejected: RejectedRequest };
