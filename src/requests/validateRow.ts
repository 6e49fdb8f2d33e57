import type { CountryCode } from 'libphonenumber-js';
import { collectFieldValues } from './collectFieldValues.js';
import { isoInstant } from './isoInstant.js';
import { normalizePhone } from './normalizePhone.js';
import { allEqual, requestIdOf } from './requestIdOf.js';
import { UUID_PATTERN } from '../uuidPattern.js';
import type { PersonRequest } from './personRequest.js';
import type { SourceRow } from './sourceRow.js';

export type RowIdentifiers = Omit<PersonRequest, 'requestId' | 'source'>;

export interface ValidatedRow {
  line: number;
  /** The request_id the row names; undefined when it names none (or several). */
  requestId: string | undefined;
  /** Normalized; meaningful only when there is no problem. */
  identifiers: RowIdentifiers;
  /** Why the row cannot be used, each without the offending value. */
  problems: readonly string[];
}

export interface ValidateRowOptions {
  defaultCountry?: CountryCode;
}

const EMAIL_LOCAL = /^[^\s@"(),:;<>[\\\]]+$/u;
const EMAIL_DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const MIN_SEARCH_LENGTH = 3;
const IDENTIFIER_FIELDS = ['email', 'phone', 'search', 'conversation_id', 'visitor_id'] as const;
const NONE: readonly string[] = [];

const NO_IDENTIFIER = 'the row has no e-mail, phone, search, conversation_id or visitor_id';
const BAD_EMAIL = 'email is not a valid e-mail address';
const BAD_CONVERSATION_ID = 'conversation_id is not a UUID';
const BAD_VISITOR_ID =
  'visitor_id is not a UUID: the visitor ID shown in the iAdvize admin is not the GraphQL UUID; take the UUID from the API (the visitor of the conversation in closedConversations)';
const SHORT_SEARCH = `search is too short to search safely (${MIN_SEARCH_LENGTH} characters at least)`;
const BAD_RECEIVED_AT = 'received_at is not a date (expected ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)';

/** Checks and normalizes one row's identifiers, before any API call. */
export function validateRow(row: SourceRow, options: ValidateRowOptions = {}): ValidatedRow {
  const { values, problems: typeProblems } = collectFieldValues(row);
  const requestId = requestIdOf(values);
  const identifiers = noIdentifiers();
  if (row.problems.length > 0) return { line: row.line, requestId, identifiers, problems: row.problems };

  // a list, not a Set: a row has few problems, and a Set per row is what a million rows cannot afford
  const problems: string[] = [];
  const add = (problem: string) => {
    if (!problems.includes(problem)) problems.push(problem);
  };
  for (const problem of typeProblems) add(problem);
  const requestIds = values.request_id;
  if (requestIds !== undefined && !allEqual(requestIds)) add('request_id has more than one value');
  for (const email of values.email ?? NONE) {
    const normalized = email.toLowerCase();
    if (isEmail(normalized)) identifiers.emails.push(normalized);
    else add(BAD_EMAIL);
  }
  for (const text of values.phone ?? NONE) {
    const phone = normalizePhone(text, options.defaultCountry);
    if ('problem' in phone) add(phone.problem);
    else identifiers.phones.push(phone.e164);
  }
  for (const search of values.search ?? NONE) {
    if ([...search].length >= MIN_SEARCH_LENGTH) identifiers.searches.push(search);
    else add(SHORT_SEARCH);
  }
  for (const id of values.conversation_id ?? NONE) {
    if (UUID_PATTERN.test(id)) identifiers.conversationIds.push(id.toLowerCase());
    else add(BAD_CONVERSATION_ID);
  }
  for (const id of values.visitor_id ?? NONE) {
    if (UUID_PATTERN.test(id)) identifiers.visitorIds.push(id.toLowerCase());
    else add(BAD_VISITOR_ID);
  }
  const dates = values.received_at;
  if (dates !== undefined && !allEqual(dates)) add('received_at has more than one value');
  else if (dates !== undefined) {
    const receivedAt = isoInstant(dates[0]!);
    if (receivedAt === undefined) add(BAD_RECEIVED_AT);
    else identifiers.receivedAt = receivedAt;
  }
  if (!IDENTIFIER_FIELDS.some((field) => values[field] !== undefined)) add(NO_IDENTIFIER);
  return { line: row.line, requestId, identifiers, problems };
}

/** Identifiers with every list empty, for a row to fill. */
export function noIdentifiers(): RowIdentifiers {
  return { emails: [], phones: [], searches: [], conversationIds: [], visitorIds: [] };
}

function isEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0 || text.length > 254) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return (
    EMAIL_LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && EMAIL_DOMAIN.test(domain)
  );
}
