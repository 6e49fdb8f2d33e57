const MS_PER_DAY = 86_400_000;
// Serial 1 is 1900-01-01, and 61 is 1900-03-01: Excel counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did.
const EPOCH_1900 = Date.UTC(1899, 11, 31);
const EPOCH_1900_AFTER_LEAP_BUG = Date.UTC(1899, 11, 30);
const FICTIONAL_LEAP_DAY = 60;
const EPOCH_1904 = Date.UTC(1904, 0, 1);
// 9999-12-31, the last day Excel shows, in the 1900 system
const MAX_SERIAL = 2_958_465;

/**
 * The instant an Excel date serial (days since the workbook's epoch, the fraction the time of day)
 * names, as toISOString(); the time is taken as UTC, as received_at text without offset is.
 * Undefined for a serial that is no date: negative, past 9999, or the 29 February 1900 that never was.
 */
export function excelSerialInstant(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > MAX_SERIAL) return undefined;
  const days = Math.floor(serial);
  if (!date1904 && days === FICTIONAL_LEAP_DAY) return undefined;
  const epoch = date1904 ? EPOCH_1904 : days > FICTIONAL_LEAP_DAY ? EPOCH_1900_AFTER_LEAP_BUG : EPOCH_1900;
  // rounded to the millisecond: 14:30 is stored as 0.604166666666667 of a day
  return new Date(epoch + Math.round(serial * MS_PER_DAY)).toISOString();
}
