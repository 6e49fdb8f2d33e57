import { UsageError } from '../cliErrors.js';

// Strict patterns, not Number(): Number accepts "", " ", "0x10" and "1e3".
const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** The non-negative decimal a flag's text spells, or NaN. */
export function decimalOf(text: string): number {
  return DECIMAL.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/** A whole-number flag within [min, max]; otherwise a UsageError naming the flag. */
export function parseWholeFlag(flag: string, text: string, min: number, max: number): number {
  const value = WHOLE.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}
