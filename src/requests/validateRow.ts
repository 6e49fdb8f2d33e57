import type { CountryCode } from 'libphonenumber-js';
import { collectFieldValues } from './collectFieldValues.js';
import { normalizePhone } from './normalizePhone.js';
import { DEFAULT_DATE_ORDER, receivedAtInstant, SPREADSHEET_DATES, SPREADSHEET_TIME, type DateOrder } from './receivedAtInstant.js';
import { allEqual, requestIdOf } from './requestIdOf.js';
import { requestIdProblem } from './requestIdProblem.js';
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
  /** What the row holds that is set aside without rejecting it (a received_at that cannot be read), each without the value. */
  warnings: readonly string[];
}

export interface ValidateRowOptions {
  defaultCountry?: CountryCode;
  dateOrder?: DateOrder;
}

const EMAIL_LOCAL = /^[^\s@"(),:;<>[\\\]]+$/u;
const EMAIL_DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const MIN_SEARCH_LENGTH = 3;
const IDENTIFIER_FIELDS = ['email', 'phone', 'search', 'name', 'first_name', 'last_name', 'conversation_id', 'visitor_id'] as const;
const NONE: readonly string[] = [];

const NO_IDENTIFIER = 'the row has no e-mail, phone, search, conversation_id or visitor_id';
const BAD_EMAIL = 'email is not a valid e-mail address';
const BAD_CONVERSATION_ID = 'conversation_id is not a UUID';
const BAD_VISITOR_ID =
  'visitor_id is not a UUID: the visitor ID shown in the iAdvize admin is not the GraphQL UUID; ' +
  'take the UUID from the API (the visitor of the conversation in closedConversations)';
const SHORT_SEARCH = `search is too short to search safely (${MIN_SEARCH_LENGTH} characters at least)`;
const SEVERAL_NAMES = 'first_name and last_name must hold one value each';
const IGNORED = 'it is ignored, and the deadline is unknown';
const SEVERAL_RECEIVED_AT = [`received_at has more than one value; ${IGNORED}`];
const BAD_RECEIVED_AT: Record<DateOrder, readonly string[]> = {
  dmy: [`received_at is not a date (expected 2024-05-31, or ${SPREADSHEET_DATES.dmy}, ${SPREADSHEET_TIME}); ${IGNORED}`],
  mdy: [`received_at is not a date (expected 2024-05-31, or ${SPREADSHEET_DATES.mdy}, ${SPREADSHEET_TIME}); ${IGNORED}`],
  ymd: [`received_at is not a date (expected ${SPREADSHEET_DATES.ymd}, ${SPREADSHEET_TIME}); ${IGNORED}`],
};

/** Checks and normalizes one row's identifiers, before any API call. */
export function validateRow(row: SourceRow, options: ValidateRowOptions = {}): ValidatedRow {
  const { values, problems: typeProblems } = collectFieldValues(row);
  const requestId = requestIdOf(values);
  const identifiers = noIdentifiers();
  // checked on a row that cannot be read too: that is where a whole row ends up in its request_id
  const idProblem = requestIdProblems(values.request_id);
  if (row.problems.length > 0) return { line: row.line, requestId, identifiers, problems: [...row.problems, ...idProblem], warnings: NONE };

  // a list, not a Set: a row has few problems, and a Set per row is what a million rows cannot afford
  const problems: string[] = [];
  const add = (problem: string) => {
    if (!problems.includes(problem)) problems.push(problem);
  };
  for (const problem of typeProblems) add(problem);
  for (const problem of idProblem) add(problem);
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
  const addSearch = (search: string) => {
    if ([...search].length >= MIN_SEARCH_LENGTH) identifiers.searches.push(search);
    else add(SHORT_SEARCH);
  };
  for (const search of values.search ?? NONE) addSearch(search);
  // A person's name is searched as one text. A first or last name alone is searched on its own: what it
  // reaches by text only is judged against the profiles found (resolve/judgeTargets.ts), and a broad
  // one is held by the over-match guard, while the rest of the request still proceeds.
  const firstNames = values.first_name;
  const bareNameIsLastName = firstNames !== undefined && values.last_name === undefined;
  const lastNames = values.last_name ?? (bareNameIsLastName ? values.name : undefined);
  if (!bareNameIsLastName) for (const name of values.name ?? NONE) addSearch(name);
  if (firstNames === undefined || lastNames === undefined) for (const part of firstNames ?? lastNames ?? NONE) addSearch(part);
  else if (!allEqual(firstNames) || !allEqual(lastNames)) add(SEVERAL_NAMES);
  else addSearch(`${firstNames[0]} ${lastNames[0]}`);
  for (const id of values.conversation_id ?? NONE) {
    if (UUID_PATTERN.test(id)) identifiers.conversationIds.push(id.toLowerCase());
    else add(BAD_CONVERSATION_ID);
  }
  for (const id of values.visitor_id ?? NONE) {
    if (UUID_PATTERN.test(id)) identifiers.visitorIds.push(id.toLowerCase());
    else add(BAD_VISITOR_ID);
  }
  // received_at only orders the work and dates the deadline: one that cannot be read is set aside, never a reason to reject.
  let warnings = row.warnings ?? NONE;
  const dates = values.received_at;
  if (dates !== undefined) {
    const order = options.dateOrder ?? DEFAULT_DATE_ORDER;
    const receivedAt = allEqual(dates) ? receivedAtInstant(dates[0]!, order) : undefined;
    if (receivedAt !== undefined) identifiers.receivedAt = receivedAt;
    else {
      identifiers.receivedAtUnreadable = true;
      warnings = [...warnings, ...(allEqual(dates) ? BAD_RECEIVED_AT[order] : SEVERAL_RECEIVED_AT)];
    }
  }
  if (!IDENTIFIER_FIELDS.some((field) => values[field] !== undefined)) add(NO_IDENTIFIER);
  return { line: row.line, requestId, identifiers, problems, warnings };
}

/** Why the row's request_ids must not be shown, each reason once. */
function requestIdProblems(requestIds: readonly string[] | undefined): readonly string[] {
  if (requestIds === undefined) return NONE;
  const problems: string[] = [];
  for (const requestId of requestIds) {
    const problem = requestIdProblem(requestId);
    if (problem !== undefined && !problems.includes(problem)) problems.push(problem);
  }
  return problems;
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
  return EMAIL_LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && EMAIL_DOMAIN.test(domain);
}
