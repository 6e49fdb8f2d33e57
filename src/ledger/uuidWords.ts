/**
 * A lower-case UUID as four 32-bit words, and back. Only the exact lower-case 8-4-4-4-12 text
 * qualifies: it is then the only text for its words, so an id stored as words reads back as the
 * very string that was put (an upper-case id is another id to the ledger, and is kept as text).
 */
export const UUID_WORDS = 4;

/** Writes the words of `text` at `into[at..at+4)`; false, leaving `into` partly written, if it is not a lower-case UUID. */
export function readUuidWords(text: string, into: Uint32Array, at: number): boolean {
  if (text.length !== 36) return false;
  let word = 0;
  let digits = 0;
  let index = at;
  for (let i = 0; i < 36; i += 1) {
    const code = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 0x2d) return false;
      continue;
    }
    let value: number;
    if (code >= 0x30 && code <= 0x39) value = code - 0x30;
    else if (code >= 0x61 && code <= 0x66) value = code - 0x57;
    else return false;
    word = (word << 4) | value;
    digits += 1;
    if (digits === 8) {
      into[index] = word;
      index += 1;
      word = 0;
      digits = 0;
    }
  }
  return true;
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
