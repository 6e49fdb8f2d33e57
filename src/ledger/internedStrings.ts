/**
 * Numbers for strings that recur: a million ledger lines name a few runs and some tens of
 * thousands of requests, so a row holds a number and each distinct string is kept once.
 */
export class InternedStrings {
  private readonly strings: string[] = [];
  private readonly numbers = new Map<string, number>();
  // consecutive lines usually repeat the last string: an equality test is cheaper than a lookup
  private last: string | undefined;
  private lastNumber = -1;
  private readonly lastBytes = new Uint8Array(64);
  private lastBytesLength = -1;
  private lastBytesNumber = -1;

  /** The string's number, given it one if new. */
  numberOf(text: string): number {
    if (text === this.last) return this.lastNumber;
    let number = this.numbers.get(text);
    if (number === undefined) {
      number = this.strings.length;
      this.strings.push(text);
      this.numbers.set(text, number);
    }
    this.last = text;
    this.lastNumber = number;
    return number;
  }

  /** The number of the ASCII string at `bytes[start..end)`, given it one if new; decodes only when it is not the last one again. */
  numberOfAscii(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    const lastBytes = this.lastBytes;
    if (length === this.lastBytesLength) {
      let same = true;
      for (let i = 0; i < length; i += 1) {
        if (bytes[start + i] !== lastBytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastBytesNumber;
    }
    const number = this.numberOf(bytes.toString('latin1', start, end));
    if (length <= lastBytes.length) {
      lastBytes.set(bytes.subarray(start, end));
      this.lastBytesLength = length;
      this.lastBytesNumber = number;
    }
    return number;
  }

  /** The number of a string already known, or undefined. */
  find(text: string): number | undefined {
    return this.numbers.get(text);
  }

  at(number: number): string {
    return this.strings[number]!;
  }

  get size(): number {
    return this.strings.length;
  }
}
