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
