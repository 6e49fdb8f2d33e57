const QUOTE = 0x22;
const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** What the guard hands on: bytes of whole records for the parser, or a record it kept from the parser. */
export type GuardedPiece =
  | { kind: 'records'; data: Buffer }
  /** A record over the size limit, dropped up to the line break that ends it; the parser gets its `lineBreaks` alone. */
  | { kind: 'oversized'; line: number; head: Buffer; lineBreaks: number }
  /** A quote never closed: the record from `line` runs to the end of the file, whose last line holding text is `lastLine`. */
  | { kind: 'unclosed'; line: number; head: Buffer; lastLine: number };

/**
 * Splits LF-only CSV text at the line breaks that end records (those outside quotes, by csv-parse's
 * rules: a quote opens a field only at its start, "" inside quotes is a quote) and hands on whole
 * records only. csv-parse alone cannot skip a record that is too long: it gives up where the limit is
 * reached, mid-field, and what it reads next is garbage. Here such a record is dropped up to its end, so
 * reading goes on at the next record; and a quote never closed is known at the end of the file, with
 * the lines it swallowed.
 */
export class CsvRecordGuard {
  readonly #delimiter: number;
  readonly #maxRecordSize: number;
  /** The start of the record not ended yet, from earlier chunks. */
  #held: Buffer[] = [];
  #heldSize = 0;
  /** Set while dropping an oversized record: its start, to read the fields before the long one. */
  #head: Buffer | undefined;
  #quoting = false;
  /** Inside quotes, the last byte was a quote: the next one tells an escaped quote from a closing one. */
  #quotePending = false;
  #fieldEmpty = true;
  /** How many bytes of a UTF-8 BOM the file has started with; -1 once past it. */
  #bomBytes = 0;
  #line = 1;
  #recordLine = 1;
  #recordLineBreaks = 0;
  #lastLineWithText = 0;

  constructor(delimiter: string, maxRecordSize: number) {
    this.#delimiter = delimiter.charCodeAt(0);
    this.#maxRecordSize = maxRecordSize;
  }

  push(chunk: Buffer): GuardedPiece[] {
    const pieces: GuardedPiece[] = [];
    const delimiter = this.#delimiter;
    // the state in locals while the bytes are scanned (fields cost several times more a byte), stored back at the end
    let quoting = this.#quoting;
    let quotePending = this.#quotePending;
    let fieldEmpty = this.#fieldEmpty;
    let line = this.#line;
    let recordLineBreaks = this.#recordLineBreaks;
    let lastLineWithText = this.#lastLineWithText;
    // bytes of this chunk before `start` have been handed on or dropped
    let start = 0;
    // where the record not ended yet starts in this chunk; -1 when it started in an earlier one
    let recordStart = -1;
    // the index at which the record not ended yet goes over the limit
    let overLimitAt = this.#head !== undefined ? Infinity : this.#maxRecordSize - this.#heldSize;
    let index = this.#skipByteOrderMark(chunk);
    for (; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === LF) {
        line++;
        recordLineBreaks++;
      } else {
        lastLineWithText = line;
      }
      if (quotePending) {
        quotePending = false;
        // "" is a quote inside the field; any other byte follows the closing quote
        if (byte !== QUOTE) quoting = false;
      } else if (quoting && byte === QUOTE) {
        quotePending = true;
      }
      if (quoting) {
        // inside quotes: nothing ends the field or the record
      } else if (byte === LF) {
        // the record ends here
        if (this.#head !== undefined) {
          pieces.push(this.#oversized(recordLineBreaks));
          start = index + 1;
        }
        recordStart = index + 1;
        overLimitAt = recordStart + this.#maxRecordSize;
        this.#recordLine = line;
        recordLineBreaks = 0;
        fieldEmpty = true;
        continue;
      } else if (byte === QUOTE) {
        if (fieldEmpty) quoting = true;
        fieldEmpty = false;
      } else {
        fieldEmpty = byte === delimiter;
      }
      if (index >= overLimitAt) {
        if (recordStart < 0) {
          this.#head = Buffer.concat([...this.#held, chunk.subarray(0, index + 1)]);
        } else {
          pieces.push(...this.#recordsBetween(chunk, start, recordStart));
          this.#head = Buffer.from(chunk.subarray(recordStart, index + 1));
        }
        this.#held = [];
        this.#heldSize = 0;
        overLimitAt = Infinity;
      }
    }
    this.#quoting = quoting;
    this.#quotePending = quotePending;
    this.#fieldEmpty = fieldEmpty;
    this.#line = line;
    this.#recordLineBreaks = recordLineBreaks;
    this.#lastLineWithText = lastLineWithText;
    if (this.#head !== undefined) return pieces;
    if (recordStart < 0) {
      this.#keep(chunk.subarray(start));
    } else {
      pieces.push(...this.#recordsBetween(chunk, start, recordStart));
      this.#keep(chunk.subarray(recordStart));
    }
    return pieces;
  }

  /** The index of the first byte after the file's UTF-8 BOM, if the file starts with one (csv-parse drops it: bom: true). */
  #skipByteOrderMark(chunk: Buffer): number {
    let index = 0;
    while (this.#bomBytes >= 0 && index < chunk.length) {
      if (chunk[index] !== UTF8_BOM[this.#bomBytes]) {
        this.#bomBytes = -1;
        break;
      }
      this.#bomBytes = this.#bomBytes === 2 ? -1 : this.#bomBytes + 1;
      index++;
    }
    return index;
  }

  /** The end of the file: the last record if it has no line break after it, or what it is if it cannot be parsed. */
  end(): GuardedPiece[] {
    const head = this.#head ?? this.#takeHeld();
    if (this.#quoting && !this.#quotePending) {
      this.#head = undefined;
      return [{ kind: 'unclosed', line: this.#recordLine, head, lastLine: this.#lastLineWithText }];
    }
    if (this.#head !== undefined) return [this.#oversized(this.#recordLineBreaks)];
    return head.length > 0 ? [{ kind: 'records', data: head }] : [];
  }

  /** After the parser stopped: the rest of the file is only counted, for its last line. */
  skip(chunk: Buffer): void {
    for (let index = 0; index < chunk.length; index++) {
      if (chunk[index] === LF) this.#line++;
      else this.#lastLineWithText = this.#line;
    }
  }

  /** The last line holding text among those seen so far. */
  get lastLineWithText(): number {
    return this.#lastLineWithText;
  }

  /** The held start of a record, then the chunk's bytes up to the record that follows. */
  #recordsBetween(chunk: Buffer, start: number, end: number): GuardedPiece[] {
    const pieces: GuardedPiece[] = [];
    if (this.#heldSize > 0) pieces.push({ kind: 'records', data: this.#takeHeld() });
    if (end > start) pieces.push({ kind: 'records', data: chunk.subarray(start, end) });
    return pieces;
  }

  #oversized(lineBreaks: number): GuardedPiece {
    const head = this.#head ?? Buffer.alloc(0);
    this.#head = undefined;
    return { kind: 'oversized', line: this.#recordLine, head, lineBreaks };
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // a copy: a slice would keep the whole chunk alive
    this.#held.push(Buffer.from(bytes));
    this.#heldSize += bytes.length;
  }

  #takeHeld(): Buffer {
    const held = this.#held.length === 1 ? this.#held[0]! : Buffer.concat(this.#held);
    this.#held = [];
    this.#heldSize = 0;
    return held;
  }
}
