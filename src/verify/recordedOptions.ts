import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { DATE_ORDERS, type DateOrder } from '../requests/receivedAtInstant.js';
import { TEXT_ENCODINGS, type TextEncoding } from '../requests/textEncoding.js';

/**
 * How a run event (or a plan) recorded that its files were read, one option at a time: undefined
 * when it recorded none, null when it recorded one this version cannot use (an older or newer
 * version's, or a hand-edited file). Whoever reads the files again decides what null means.
 */
export function recordedCountry(value: unknown): CountryCode | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && isSupportedCountry(value) ? value : null;
}

export function recordedEncoding(value: unknown): TextEncoding | undefined | null {
  if (value === undefined || value === null) return undefined;
  return TEXT_ENCODINGS.find((candidate) => candidate === value) ?? null;
}

export function recordedDateOrder(value: unknown): DateOrder | undefined | null {
  if (value === undefined || value === null) return undefined;
  return DATE_ORDERS.find((candidate) => candidate === value) ?? null;
}

export function recordedSheet(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : null;
}
