import { isAscii, isUtf8 } from 'node:buffer';
import { countLineFeeds, type TextChecker } from './textChecker.js';

/**
 * Checks that a file is UTF-8 as it streams by. A character split between two chunks is held back
 * and checked whole with the next one. Each chunk is checked by Node's native isUtf8; only the chunk
 * holding a bad byte is walked byte by byte, to find where it is.
 */
export class Utf8Checker implements TextChecker {
  #held: Buffer | undefined;
  #line = 1;
  #firstBadLine: number | undefined;
  #sawMultibyte = false;

  get firstBadLine(): number | undefined {
    return this.#firstBadLine;
  }

  /** Whether a character of more than one byte came before the first bad byte (or in the whole file, when there is none). */
  get sawMultibyte(): boolean {
    return this.#sawMultibyte;
  }

  push(chunk: Buffer): void {
    if (this.#firstBadLine !== undefined) return;
    const data = this.#held === undefined ? chunk : Buffer.concat([this.#held, chunk]);
    const complete = completeLength(data);
    // copied: a view would keep the whole chunk alive
    this.#held = complete < data.length ? Buffer.from(data.subarray(complete)) : undefined;
    this.#check(data.subarray(0, complete));
  }

  end(): void {
    if (this.#firstBadLine === undefined && this.#held !== undefined) this.#firstBadLine = this.#line;
    this.#held = undefined;
  }

  #check(bytes: Buffer): void {
    if (isUtf8(bytes)) {
      this.#sawMultibyte ||= !isAscii(bytes);
      this.#line += countLineFeeds(bytes);
      return;
    }
    const bad = firstInvalidIndex(bytes);
    const before = bytes.subarray(0, bad);
    this.#sawMultibyte ||= !isAscii(before);
    this.#firstBadLine = this.#line + countLineFeeds(before);
  }
}

/** The length of the bytes without a last character that is still incomplete (its lead byte says more bytes follow). */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/**
 * Index of the lead byte of the first sequence that is not UTF-8 (Unicode 15, table 3-7: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or the length when there is none.
 */
export function firstInvalidIndex(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let continuations: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) continuations = 1;
    else if (lead === 0xe0) [continuations, low] = [2, 0xa0];
    else if (lead === 0xed) [continuations, high] = [2, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) continuations = 2;
    else if (lead === 0xf0) [continuations, low] = [3, 0x90];
    else if (lead === 0xf4) [continuations, high] = [3, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) continuations = 3;
    else return index;
    for (let offset = 1; offset <= continuations; offset++) {
      const byte = bytes[index + offset];
      const [min, max] = offset === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return index;
    }
    index += continuations + 1;
  }
  return bytes.length;
}
