/**
 * Text as the bytes another program would write, built by hand so that a test does not trust the
 * decoder it tests: Windows-1252 from its code chart, UTF-16 code unit by code unit.
 */

// Windows-1252 0x80–0x9F (the five undefined bytes left out); 0xA0–0xFF are Latin-1's, the same as Unicode's.
const WINDOWS_1252_HIGH: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

export function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((character) => {
      const code = character.codePointAt(0)!;
      if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
      const byte = WINDOWS_1252_HIGH[character];
      if (byte === undefined) throw new Error(`U+${code.toString(16)} has no Windows-1252 byte`);
      return byte;
    }),
  );
}

/** UTF-16 code units, low byte first (LE) or high byte first (BE); add "\uFEFF" in front for a byte order mark. */
export function utf16(text: string, order: 'le' | 'be'): Buffer {
  const bytes = Buffer.alloc(text.length * 2);
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const [first, second] = order === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff];
    bytes[2 * index] = first;
    bytes[2 * index + 1] = second;
  }
  return bytes;
}
