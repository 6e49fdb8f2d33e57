import { readUuidWordsFromBytes, UUID_WORDS } from './uuidWords.js';

export const TARGET_KINDS = ['conversation', 'visitor'] as const;
export const TARGET_STATUSES = ['anonymized', 'already_anonymized', 'failed', 'planned'] as const;

/** Where a scanned target line holds its fields: numbers, and byte offsets for its strings. */
export interface TargetLineFields {
  kind: number;
  /** The id's four words. */
  id: Uint32Array;
  runIdStart: number;
  runIdEnd: number;
  status: number;
  /** Start and end offset of each request id, in turn. */
  requestIds: number[];
  attempts: number;
  /** -1 when the line has no error. */
  errorNameStart: number;
  errorNameEnd: number;
}

export function emptyTargetLineFields(): TargetLineFields {
  return { kind: 0, id: new Uint32Array(UUID_WORDS), runIdStart: 0, runIdEnd: 0, status: 0, requestIds: [], attempts: 0, errorNameStart: -1, errorNameEnd: -1 };
}

const HEAD = Buffer.from('{"type":"target","runId":"');
const KIND_OPENINGS = TARGET_KINDS.map((kind) => Buffer.from(`","kind":"${kind}","id":"`));
const STATUS = Buffer.from('","status":"');
const STATUS_ENDINGS = TARGET_STATUSES.map((status) => Buffer.from(`${status}","requestIds":[`));
const ATTEMPTS = Buffer.from('],"attempts":');
const ERROR = Buffer.from(',"error":{"name":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;
const MAX_ATTEMPT_DIGITS = 9;

/**
 * Reads the target line at `bytes[start..end)` (no newline) when it is laid out exactly as the
 * ledger writer writes it (JSON.stringify of a TargetEvent: these keys in this order, no spaces, an
 * id that is a lower-case UUID, ASCII strings with no escapes, a small whole attempts count),
 * without decoding or JSON.parse: on resume nearly every line is one, and parsing each into an
 * object cost as much as the rest of the replay. False for any other line, which the caller then
 * parses: a line is taken here only when JSON.parse would give exactly these fields.
 */
export function scanTargetLine(bytes: Buffer, start: number, end: number, into: TargetLineFields): boolean {
  if (!matches(bytes, start, end, HEAD)) return false;
  into.runIdStart = start + HEAD.length;
  let at = plainStringEnd(bytes, into.runIdStart, end);
  if (at < 0) return false;
  into.runIdEnd = at;
  into.kind = matching(bytes, at, end, KIND_OPENINGS);
  if (into.kind < 0) return false;
  at += KIND_OPENINGS[into.kind]!.length;
  if (at + 36 >= end || !readUuidWordsFromBytes(bytes, at, into.id, 0) || bytes[at + 36] !== QUOTE) return false;
  at += 36;
  if (!matches(bytes, at, end, STATUS)) return false;
  at += STATUS.length;
  into.status = matching(bytes, at, end, STATUS_ENDINGS);
  if (into.status < 0) return false;
  at += STATUS_ENDINGS[into.status]!.length;

  into.requestIds.length = 0;
  if (bytes[at] === QUOTE) {
    for (;;) {
      const stringEnd = plainStringEnd(bytes, at + 1, end);
      if (stringEnd < 0) return false;
      into.requestIds.push(at + 1, stringEnd);
      at = stringEnd + 1;
      if (at >= end || bytes[at] !== COMMA) break;
      at += 1;
      if (at >= end || bytes[at] !== QUOTE) return false;
    }
  }
  if (!matches(bytes, at, end, ATTEMPTS)) return false;
  at += ATTEMPTS.length;

  // JSON's integer form: 0, or digits without a leading zero
  const digitsStart = at;
  let attempts = 0;
  while (at < end && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) {
    attempts = attempts * 10 + (bytes[at]! - 0x30);
    at += 1;
  }
  const digits = at - digitsStart;
  if (digits === 0 || digits > MAX_ATTEMPT_DIGITS || (digits > 1 && bytes[digitsStart] === 0x30)) return false;
  into.attempts = attempts;

  into.errorNameStart = -1;
  if (matches(bytes, at, end, ERROR)) {
    into.errorNameStart = at + ERROR.length;
    const stringEnd = plainStringEnd(bytes, into.errorNameStart, end);
    if (stringEnd < 0 || stringEnd + 1 >= end || bytes[stringEnd + 1] !== CLOSING_BRACE) return false;
    into.errorNameEnd = stringEnd;
    at = stringEnd + 2;
  }
  if (at >= end || bytes[at] !== CLOSING_BRACE) return false;
  at += 1;
  // "\r" of a CRLF line is JSON whitespace; anything else after the object is left to JSON.parse
  return at === end || (at === end - 1 && bytes[at] === 0x0d);
}

/** The offset of the quote closing an ASCII string from `start` that needs no unescaping, or -1. */
function plainStringEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let at = start; at < end; at += 1) {
    const byte = bytes[at]!;
    if (byte === QUOTE) return at;
    if (byte === BACKSLASH || byte < 0x20 || byte > 0x7e) return -1;
  }
  return -1;
}

function matches(bytes: Uint8Array, at: number, end: number, expected: Uint8Array): boolean {
  if (at + expected.length > end) return false;
  for (let i = 0; i < expected.length; i += 1) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

function matching(bytes: Uint8Array, at: number, end: number, candidates: readonly Uint8Array[]): number {
  for (let i = 0; i < candidates.length; i += 1) if (matches(bytes, at, end, candidates[i]!)) return i;
  return -1;
}
