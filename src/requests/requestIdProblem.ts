/** Longer request_ids are not used: a ticket number is short, a row read wrong is not. */
export const MAX_REQUEST_ID_LENGTH = 128;

const SIX_DIGITS = /\d{6}/;
const NOT_USED = 'so it is not used, and the request is named after its file and line';

/**
 * Why a request_id must not be shown, or undefined when it may. The id is echoed on stderr, in the
 * ledger and in the report: one that may hold personal data (an e-mail, a phone number, a whole row
 * read under the wrong delimiter) is replaced, and its row rejected.
 */
export function requestIdProblem(requestId: string): string | undefined {
  if (requestId.length > MAX_REQUEST_ID_LENGTH) return `request_id is longer than ${MAX_REQUEST_ID_LENGTH} characters, ${NOT_USED}`;
  if (requestId.includes('@')) return `request_id holds an @ (an e-mail?), ${NOT_USED}`;
  if (SIX_DIGITS.test(requestId)) return `request_id holds 6 digits in a row (a phone number?), ${NOT_USED}`;
  return undefined;
}
