import type { TextChecker } from './textChecker.js';

const LF = 0x000a;

/**
 * Checks that a file is UTF-16 in one byte order as it streams by: every high surrogate followed by
 * a low one, no low surrogate alone, no odd byte at the end. A code unit or a surrogate pair split
 * between two chunks is carried over. Walked unit by unit: such files come from Excel's "Unicode
 * text" and are small.
 */
export class Utf16Checker implements TextChecker {
  readonly #littleEndian: boolean;
  #oddByte: number | undefined;
  #afterHighSurrogate = false;
  #line = 1;
  #firstBadLine: number | undefined;

  constructor(encoding: 'utf-16le' | 'utf-16be') {
    this.#littleEndian = encoding === 'utf-16le';
  }

  get firstBadLine(): number | undefined {
    return this.#firstBadLine;
  }

  push(chunk: Buffer): void {
    for (let index = 0; index < chunk.length && this.#firstBadLine === undefined; index++) {
      const byte = chunk[index]!;
      if (this.#oddByte === undefined) {
        this.#oddByte = byte;
        continue;
      }
      const unit = this.#littleEndian ? this.#oddByte | (byte << 8) : (this.#oddByte << 8) | byte;
      this.#oddByte = undefined;
      this.#read(unit);
    }
  }

  end(): void {
    if (this.#firstBadLine === undefined && (this.#oddByte !== undefined || this.#afterHighSurrogate)) this.#firstBadLine = this.#line;
  }

  #read(unit: number): void {
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (this.#afterHighSurrogate !== isLow) {
      this.#firstBadLine = this.#line;
      return;
    }
    this.#afterHighSurrogate = isHigh;
    if (unit === LF) this.#line++;
  }
}
