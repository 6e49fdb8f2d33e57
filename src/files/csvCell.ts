// a spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection")
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: quoted when needed, and kept from running as a spreadsheet formula. */
export function csvCell(value: string): string {
  const safe = spreadsheetSafe(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The value as a cell holds it once read back: with a leading `'` when a spreadsheet would run it as a formula. */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
