import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
// core + the metadata's JS module: the package's default entry imports the .json itself, which Jest warns about
import metadata from 'libphonenumber-js/metadata.min';

export type NormalizedPhone = { e164: string } | { problem: string };

/**
 * A phone number in E.164, or why it cannot be used. "Possible" (a right length for its country),
 * not "valid" (allocated): allocation data lags, and a real number from a newly opened range must
 * not block an erasure; an unallocated one can only find nothing.
 */
export function normalizePhone(text: string, defaultCountry?: CountryCode): NormalizedPhone {
  const phone = parsePhoneNumberFromString(text, { extract: false, ...(defaultCountry ? { defaultCountry } : {}) }, metadata);
  if (phone === undefined || !phone.isPossible()) return { problem: phoneProblem(text, defaultCountry) };
  return { e164: phone.number };
}

const SEPARATORS = [' ', '.', '-'] as const;

/**
 * The ways a person writes the number in a chat, besides E.164: international with spaces
 * ("+33 6 39 98 03 00"), national as libphonenumber formats it ("06 39 98 03 00", "(201) 555-0123"),
 * its digit groups joined by spaces, dots or dashes ("06.39.98.03.00"), and its digits alone.
 * The grouping is the library's, per country, not ours.
 */
export function phoneSpellingsOf(e164: string): string[] {
  // parsed from E.164 so that an extension ("ext. 12") stays out of the spellings
  const phone = parsePhoneNumberFromString(e164, metadata);
  if (phone === undefined) return [];
  const national = phone.formatNational();
  const groups = national.match(/\d+/g) ?? [];
  const spellings = [phone.formatInternational(), national, ...SEPARATORS.map((separator) => groups.join(separator)), groups.join('')];
  return [...new Set(spellings)].filter((spelling) => spelling !== '' && spelling !== e164);
}

function phoneProblem(text: string, defaultCountry: CountryCode | undefined): string {
  if (defaultCountry !== undefined) {
    return `phone is not a valid number, neither with its +country code nor as a national number of ${defaultCountry}`;
  }
  if (text.trim().startsWith('+')) {
    return 'phone is not a valid international number (check the country code and the number of digits)';
  }
  return 'phone cannot be read as an international number; give it with +country code or set --default-country';
}
