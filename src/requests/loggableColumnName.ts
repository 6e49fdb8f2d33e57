const MAX_LOGGED_NAME_LENGTH = 64;
const SIX_DIGITS = /(?:\d\D*){6}/;

/**
 * A column's name as it may be logged. A header is not personal data, but a JSON key can be anything,
 * a value written where a key should be included: a name holding an `@`, six digits or more (a phone,
 * however spaced), or longer than 64 characters is replaced by its position, `<column 3>`.
 */
export function loggableColumnName(name: string, position: number): string {
  if (name.length > MAX_LOGGED_NAME_LENGTH || name.includes('@') || SIX_DIGITS.test(name)) return `<column ${position}>`;
  return name;
}
