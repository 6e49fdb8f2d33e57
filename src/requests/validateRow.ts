import type { CountryCode } from 'libphonenumber-js';
import { collectFieldValues } from './collectFieldValues.js';
import { isoInstant } from './isoInstant.js';
import { normalizePhone } from './normalizePhone.js';
import { requestIdOf } from './requestIdOf.js';
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
  problems: string[];
}

export interface ValidateRowOptions {
  defaultCountry?: CountryCode;
}

const EMAIL_LOCAL = /^[^\s@"(),:;<>[\\\]]+$/u;
const EMAIL_DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const MIN_SEARCH_LENGTH = 3;

const NO_IDENTIFIER = 'the row has no e-mail, phone, search, conversation_id or visitor_id';
const BAD_EMAIL = 'email is not a valid e-mail address';
const BAD_CONVERSATION_ID = 'conversation_id is not a UUID';
const BAD_VISITOR_ID =
  'visitor_id is not a UUID: the visitor ID shown in the iAdvize admin is not the GraphQL UUID; take the UUID from the API (the visitor of the conversation in closedConversations)';
const SHORT_SEARCH = `search is too short to search safely (${MIN_SEARCH_LENGTH} characters at least)`;
const BAD_RECEIVED_AT = 'received_at is not a date (expected ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)';

/** Checks and normalizes one row's identifiers, before any API call. */
export function validateRow(row: SourceRow, options: ValidateRowOptions = {}): ValidatedRow {
  const { values, problems: typeProblems } = collectFieldValues(row.cells);
  const requestId = requestIdOf(values);
  const identifiers: RowIdentifiers = { emails: [], phones: [], phoneSpellings: [], searches: [], conversationIds: [], visitorIds: [] };
  if (row.problems.length > 0) return { line: row.line, requestId, identifiers, problems: row.problems };

  const problems = new Set(typeProblems);
  if (new Set(values.get('request_id')).size > 1) problems.add('request_id has more than one value');
  for (const email of values.get('email') ?? []) {
    const normalized = email.toLowerCase();
    if (isEmail(normalized)) identifiers.emails.push(normalized);
    else problems.add(BAD_EMAIL);
  }
  for (const text of values.get('phone') ?? []) {
    const phone = normalizePhone(text, options.defaultCountry);
    if ('problem' in phone) problems.add(phone.problem);
    else {
      identifiers.phones.push(phone.e164);
      identifiers.phoneSpellings.push(...phone.spellings);
    }
  }
  for (const search of values.get('search') ?? []) {
    if ([...search].length >= MIN_SEARCH_LENGTH) identifiers.searches.push(search);
    else problems.add(SHORT_SEARCH);
  }
  for (const id of values.get('conversation_id') ?? []) {
    if (UUID_PATTERN.test(id)) identifiers.conversationIds.push(id.toLowerCase());
    else problems.add(BAD_CONVERSATION_ID);
  }
  for (const id of values.get('visitor_id') ?? []) {
    if (UUID_PATTERN.test(id)) identifiers.visitorIds.push(id.toLowerCase());
    else problems.add(BAD_VISITOR_ID);
  }
  const dates = [...new Set(values.get('received_at'))];
  if (dates.length > 1) problems.add('received_at has more than one value');
  else if (dates[0] !== undefined) {
    const receivedAt = isoInstant(dates[0]);
    if (receivedAt === undefined) problems.add(BAD_RECEIVED_AT);
    else identifiers.receivedAt = receivedAt;
  }
  const identifierFields = ['email', 'phone', 'search', 'conversation_id', 'visitor_id'] as const;
  if (!identifierFields.some((field) => values.has(field))) problems.add(NO_IDENTIFIER);
  return { line: row.line, requestId, identifiers, problems: [...problems] };
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
