import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
// core + the metadata's JS module: the package's default entry imports the .json itself, which Jest warns about
import metadata from 'libphonenumber-js/metadata.min';

export type NormalizedPhone = { e164: string; spellings: string[] } | { problem: string };

/**
 * A phone number in E.164 and the other ways it may be written in messages (national format and its
 * digits), or why it cannot be used. "Possible" (a right length for its country), not "valid"
 * (allocated): allocation data lags, and a real number from a newly opened range must not block
 * an erasure; an unallocated one can only find nothing.
 */
export function normalizePhone(text: string, defaultCountry?: CountryCode): NormalizedPhone {
  const phone = parsePhoneNumberFromString(text, { extract: false, ...(defaultCountry ? { defaultCountry } : {}) }, metadata);
  if (phone === undefined || !phone.isPossible()) return { problem: phoneProblem(text, defaultCountry) };
  // Reparsed from E.164 so that an extension ("ext. 12") stays out of the spellings.
  const national = parsePhoneNumberFromString(phone.number, metadata)?.formatNational() ?? '';
  const spellings = [...new Set([national, national.replace(/\D/g, '')])].filter(
    (spelling) => spelling !== '' && spelling !== phone.number,
  );
  return { e164: phone.number, spellings };
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
