import type { TextChecker } from './textChecker.js';

const LF = 0x0a;

/**
 * Bytes that make a file not Windows-1252 text: the five the code page leaves undefined (0x81, 0x8D,
 * 0x8F, 0x90, 0x9D), and the control characters a text file does not hold (C0 other than tab, LF
 * and CR; DEL). Every other byte is a character of the code page.
 */
const NOT_TEXT = new Uint8Array(256);
for (let byte = 0x00; byte <= 0x1f; byte++) if (byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) NOT_TEXT[byte] = 1;
for (const byte of [0x7f, 0x81, 0x8d, 0x8f, 0x90, 0x9d]) NOT_TEXT[byte] = 1;

/** Checks that a file decodes cleanly as Windows-1252: no byte of NOT_TEXT. */
export class Windows1252Checker implements TextChecker {
  #line = 1;
  #firstBadLine: number | undefined;

  get firstBadLine(): number | undefined {
    return this.#firstBadLine;
  }

  push(chunk: Buffer): void {
    if (this.#firstBadLine !== undefined) return;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (NOT_TEXT[byte] === 1) {
        this.#firstBadLine = this.#line;
        return;
      }
      if (byte === LF) this.#line++;
    }
  }

  end(): void {
    // every byte is a whole character: nothing can be cut by the end
  }
}
