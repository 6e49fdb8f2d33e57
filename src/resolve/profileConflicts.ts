import type { CountryCode } from 'libphonenumber-js';
import type { VisitorProfileFragment } from '../generated/graphql.js';
import { normalizePhone } from '../requests/normalizePhone.js';
import type { PersonRequest } from '../requests/personRequest.js';
import type { ProfileField } from './evidence.js';
import { isSubset, nameWords, namesAgree } from './nameWords.js';

export type VisitorProfile = Omit<VisitorProfileFragment, 'id'>;

/**
 * The identifiers of the request a profile carries (docs/design.md#evidence): "email#1"
 * when its e-mail is the request's first, "phone#2" when its phone is the second. Compared
 * normalized: e-mails lower-cased, phones in E.164.
 */
export function profileMatches(profile: VisitorProfile, request: Pick<PersonRequest, 'emails' | 'phones'>, defaultCountry?: CountryCode): string[] {
  const matched: string[] = [];
  const email = normalizedEmail(profile.email);
  const emailIndex = email === undefined ? -1 : request.emails.indexOf(email);
  if (emailIndex !== -1) matched.push(`email#${emailIndex + 1}`);
  const phone = normalizedPhone(profile.phoneNumber, defaultCountry);
  const phoneIndex = phone === undefined ? -1 : request.phones.indexOf(phone);
  if (phoneIndex !== -1) matched.push(`phone#${phoneIndex + 1}`);
  return matched;
}

/**
 * The fields by which a profile names someone other than the request's person, or none. An
 * e-mail or phone that is not one of the request's; a first or last name that agrees with none of
 * the request's search strings (nameWords.ts: case, accents, hyphens and word order ignored, and
 * one word set must hold the other). A profile with no identifying field names nobody: no conflict.
 * A phone the library cannot read counts as another person's: holding is safe, erasing is not.
 */
export function profileConflicts(
  profile: VisitorProfile,
  request: Pick<PersonRequest, 'emails' | 'phones' | 'searches'>,
  defaultCountry?: CountryCode,
): ProfileField[] {
  const fields: ProfileField[] = [];
  const email = normalizedEmail(profile.email);
  if (email !== undefined && !request.emails.includes(email)) fields.push('email');
  if (present(profile.phoneNumber)) {
    const phone = normalizedPhone(profile.phoneNumber, defaultCountry);
    if (phone === undefined || !request.phones.includes(phone)) fields.push('phoneNumber');
  }
  fields.push(...nameConflicts(profile, request.searches));
  return fields;
}

function nameConflicts(profile: VisitorProfile, searches: readonly string[]): ProfileField[] {
  const named = (['firstName', 'lastName'] as const).filter((field) => nameWords(profile[field] ?? '').size > 0);
  if (named.length === 0) return [];
  const profileWords = nameWords(named.map((field) => profile[field]).join(' '));
  const searchWords = searches.map(nameWords);
  if (searchWords.some((words) => namesAgree(profileWords, words))) return [];
  // Mark the fields no search string accounts for; when each alone is accounted for but never together, both.
  const unexplained = named.filter((field) => !searchWords.some((words) => isSubset(nameWords(profile[field] ?? ''), words)));
  return unexplained.length > 0 ? unexplained : named;
}

function normalizedEmail(email: string | null | undefined): string | undefined {
  return present(email) ? email.trim().toLowerCase() : undefined;
}

function normalizedPhone(phone: string | null | undefined, defaultCountry: CountryCode | undefined): string | undefined {
  if (!present(phone)) return undefined;
  const normalized = normalizePhone(phone, defaultCountry);
  return 'e164' in normalized ? normalized.e164 : undefined;
}

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '';
}
