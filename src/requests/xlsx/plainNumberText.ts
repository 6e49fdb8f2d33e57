const EXPONENT = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/;
// past this the digits are not a phone or an id a person typed: leave the text as the file wrote it
const MAX_SHIFT = 30;

/**
 * A number as a sheet's XML writes it, without an exponent and digit for digit, so that a phone or
 * an id stored as a number reads as typed: "3.3612345678E10" is "33612345678", never parsed as a
 * double, which would round a long one. Any other text is returned unchanged.
 */
export function plainNumberText(text: string): string {
  const match = EXPONENT.exec(text.trim());
  if (match === null) return text.trim();
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_SHIFT || whole + fraction === '') return text.trim();
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const padded = point < 0 ? '0'.repeat(-point) + digits : point > digits.length ? digits + '0'.repeat(point - digits.length) : digits;
  const at = Math.max(point, 0);
  const integer = padded.slice(0, at).replace(/^0+(?=\d)/, '') || '0';
  const decimals = padded.slice(at).replace(/0+$/, '');
  return `${sign === '-' ? '-' : ''}${integer}${decimals === '' ? '' : `.${decimals}`}`;
}
