import { instantOf, isoInstant } from './isoInstant.js';

/** How a date with the year last is read: 03/04/2026 is 3 April (dmy), March 4 (mdy), or not read at all (ymd). */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy', 'ymd'];

/** The people who write the request files are European: their spreadsheets write the day first. */
export const DEFAULT_DATE_ORDER: DateOrder = 'dmy';

/** How a spreadsheet writes a date in each order, as a row's warning and --help say it. */
export const SPREADSHEET_DATES: Record<DateOrder, string> = {
  dmy: 'the day first: 31/05/2024, 31.05.2024 or 31-05-2024',
  mdy: 'the month first: 05/31/2024, 05.31.2024 or 05-31-2024',
  ymd: 'the year first: 2024-05-31, 2024/05/31 or 2024.05.31',
};
/** What may follow any of them. */
export const SPREADSHEET_TIME = 'each perhaps with a time 14:30';

// 15/11/2026, 15.11.2026 or 15-11-2026 (one separator, twice), then perhaps 14:30 or 14:30:05
const YEAR_LAST = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
// 2026/11/15, 2026.11.15, 2026-5-3: the year first is always year, month, day
const YEAR_FIRST = /^(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

// A file's received_at values repeat (a day's requests share their date): each distinct text is
// computed once. Cleared when full, so a file of distinct timestamps costs no more than without it.
const known = new Map<string, string | undefined>();
const KNOWN_LIMIT = 1024;
let knownOrder: DateOrder = DEFAULT_DATE_ORDER;

/**
 * The instant a received_at names, as toISOString(): ISO 8601 as isoInstant reads it, or a date as
 * spreadsheets write it (15/11/2026, 15.11.2026 14:30, 2026/11/15), whose time, if any, is taken as
 * UTC like an ISO time without offset. Undefined for any other text, and for a day or time that does
 * not exist (31/02/2026).
 */
export function receivedAtInstant(text: string, order: DateOrder = DEFAULT_DATE_ORDER): string | undefined {
  if (order !== knownOrder) {
    known.clear();
    knownOrder = order;
  }
  if (known.has(text)) return known.get(text);
  const instant = isoInstant(text) ?? spreadsheetInstant(text, order);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(text, instant);
  return instant;
}

function spreadsheetInstant(text: string, order: DateOrder): string | undefined {
  const yearLast = YEAR_LAST.exec(text);
  if (yearLast !== null && order === 'ymd') return undefined;
  const match = yearLast ?? YEAR_FIRST.exec(text);
  if (match === null) return undefined;
  const [, first, , second, third, hour = '0', minute = '0', seconds = '0'] = match;
  const [year, month, day] = yearLast === null ? [first, second, third] : order === 'dmy' ? [third, second, first] : [third, first, second];
  return instantOf({
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(seconds),
    millisecond: 0,
    offsetMinutes: 0,
  });
}
