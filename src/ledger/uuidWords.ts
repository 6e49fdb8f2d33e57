/**
 * A lower-case UUID as four 32-bit words, and back. Only the exact lower-case 8-4-4-4-12 text
 * qualifies: it is then the only text for its words, so an id stored as words reads back as the
 * very string that was put (an upper-case id is another id to the ledger, and is kept as text).
 */
export const UUID_WORDS = 4;

/**
 * Writes the words of the 36 characters of `text` from `start` at `into[at..at+4)`; false, leaving
 * `into` partly written, if they are not a lower-case UUID.
 */
export function readUuidWords(text: string, start: number, into: Uint32Array, at: number): boolean {
  if (start + 36 > text.length) return false;
  for (let word = 0; word < UUID_WORDS; word += 1) {
    let value = 0;
    for (let digit = 0; digit < 8; digit += 1) {
      const nibble = hexValue(text.charCodeAt(start + DIGIT_OFFSETS[word * 8 + digit]!));
      if (nibble < 0) return false;
      value = (value << 4) | nibble;
    }
    into[at + word] = value;
  }
  return dashesAt(start, (offset) => text.charCodeAt(offset));
}

/** readUuidWords over the bytes of a line (ASCII: a UUID's characters are single bytes). */
export function readUuidWordsFromBytes(bytes: Uint8Array, start: number, into: Uint32Array, at: number): boolean {
  if (start + 36 > bytes.length) return false;
  for (let word = 0; word < UUID_WORDS; word += 1) {
    let value = 0;
    for (let digit = 0; digit < 8; digit += 1) {
      const nibble = hexValue(bytes[start + DIGIT_OFFSETS[word * 8 + digit]!]!);
      if (nibble < 0) return false;
      value = (value << 4) | nibble;
    }
    into[at + word] = value;
  }
  return bytes[start + 8] === DASH && bytes[start + 13] === DASH && bytes[start + 18] === DASH && bytes[start + 23] === DASH;
}

const DASH = 0x2d;
// where the 32 hex digits of the 8-4-4-4-12 layout are
const DIGIT_OFFSETS = Array.from({ length: 36 }, (_, offset) => offset).filter((offset) => offset !== 8 && offset !== 13 && offset !== 18 && offset !== 23);

function dashesAt(start: number, codeAt: (offset: number) => number): boolean {
  return codeAt(start + 8) === DASH && codeAt(start + 13) === DASH && codeAt(start + 18) === DASH && codeAt(start + 23) === DASH;
}

// lower case only: "A" and "a" are different ids to the ledger
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The lower-case text of the UUID whose words are at `words[at..at+4)`. */
export function uuidText(words: Uint32Array, at: number): string {
  const a = words[at]!;
  const b = words[at + 1]!;
  const c = words[at + 2]!;
  const d = words[at + 3]!;
  return `${hex32(a)}-${hex16(b >>> 16)}-${hex16(b & 0xffff)}-${hex16(c >>> 16)}-${hex16(c & 0xffff)}${hex32(d)}`;
}

function hex32(word: number): string {
  return hex16(word >>> 16) + hex16(word & 0xffff);
}

function hex16(half: number): string {
  return HEX_PAIRS[half >>> 8]! + HEX_PAIRS[half & 0xff]!;
}
