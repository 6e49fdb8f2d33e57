/** Elements larger than this are not kept in memory: they are reported, not parsed. */
export const MAX_JSON_ELEMENT_SIZE = 64 * 1024;

export type JsonArrayPiece =
  | { kind: 'element'; line: number; text: string }
  | { kind: 'oversized'; line: number }
  /** The array's structure is broken here; nothing after it can be trusted, so splitting stops. */
  | { kind: 'broken'; line: number; reason: string };

type State = 'start' | 'beforeElement' | 'element' | 'afterElement' | 'end' | 'stopped';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === NEWLINE || code === 0x0d;
}

/**
 * Splits the text of a JSON array, fed in pieces, into the text of its top-level elements without
 * parsing the whole: it tracks nesting depth, strings and escapes, and the line each element starts on.
 * Brackets are only counted, not matched: a mismatch inside an element is left to JSON.parse.
 */
export class JsonArraySplitter {
  #state: State = 'start';
  #line = 1;
  #afterComma = false;
  #elementLine = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #scalar = false;
  #parts: string[] = [];
  #size = 0;
  #oversized = false;
  #pieces: JsonArrayPiece[] = [];

  get stopped(): boolean {
    return this.#state === 'stopped';
  }

  /** The pieces completed by this text. */
  push(text: string): JsonArrayPiece[] {
    this.#pieces = [];
    let segmentStart = this.#state === 'element' ? 0 : -1;
    for (let index = 0; index < text.length && this.#state !== 'stopped'; index++) {
      const code = text.charCodeAt(index);
      if (this.#state === 'element') {
        const end = this.#elementEnd(code, index);
        if (end !== undefined) {
          this.#keep(text.slice(segmentStart, end));
          this.#completeElement();
          segmentStart = -1;
          // a scalar ends on the character after it, which still has to be read as a separator
          if (end === index) this.#between(code);
        }
      } else if (this.#between(code)) {
        segmentStart = index;
      }
      if (code === NEWLINE) this.#line++;
    }
    if (this.#state === 'element' && segmentStart !== -1) this.#keep(text.slice(segmentStart));
    return this.#pieces;
  }

  /** The pieces the end of the text completes: a scalar element, or the report that the array is unfinished. */
  end(): JsonArrayPiece[] {
    this.#pieces = [];
    if (this.#state === 'element') {
      this.#stop(this.#elementLine, 'the file ends inside this element');
    } else if (this.#state === 'beforeElement' || this.#state === 'afterElement') {
      this.#stop(this.#line, 'the file ends before the closing "]" of the array');
    }
    return this.#pieces;
  }

  /** Reads a character outside any element; true when it starts one. */
  #between(code: number): boolean {
    if (isWhitespace(code)) return false;
    switch (this.#state) {
      case 'start':
        if (code === OPEN_BRACKET) {
          this.#state = 'beforeElement';
          this.#afterComma = false;
        } else {
          this.#stop(this.#line, 'the file is not a JSON array ("[" expected first)');
        }
        return false;
      case 'beforeElement':
        // A trailing comma before "]" is tolerated: nothing is lost by it.
        if (code === CLOSE_BRACKET) this.#state = 'end';
        else if (code === COMMA) this.#stop(this.#line, this.#afterComma ? 'two commas in a row' : 'a comma before the first element');
        else {
          this.#startElement(code);
          return true;
        }
        return false;
      case 'afterElement':
        if (code === COMMA) {
          this.#state = 'beforeElement';
          this.#afterComma = true;
        } else if (code === CLOSE_BRACKET) this.#state = 'end';
        else this.#stop(this.#line, 'a comma or "]" is missing after the previous element');
        return false;
      case 'end':
        this.#stop(this.#line, 'there is more after the closing "]" of the array');
        return false;
      case 'element':
      case 'stopped':
        return false;
    }
  }

  #startElement(code: number): void {
    this.#state = 'element';
    this.#elementLine = this.#line;
    this.#parts = [];
    this.#size = 0;
    this.#oversized = false;
    this.#escaped = false;
    this.#inString = code === QUOTE;
    this.#scalar = code !== QUOTE && code !== OPEN_BRACE && code !== OPEN_BRACKET;
    this.#depth = code === OPEN_BRACE || code === OPEN_BRACKET ? 1 : 0;
  }

  /** Where the element ends if this character ends it: after it (index + 1), or before it (index) for a scalar. */
  #elementEnd(code: number, index: number): number | undefined {
    if (this.#inString) {
      if (this.#escaped) this.#escaped = false;
      else if (code === BACKSLASH) this.#escaped = true;
      else if (code === QUOTE) {
        this.#inString = false;
        if (this.#depth === 0) return index + 1;
      }
      return undefined;
    }
    if (this.#scalar) {
      return isWhitespace(code) || code === COMMA || code === CLOSE_BRACKET ? index : undefined;
    }
    if (code === QUOTE) this.#inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.#depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      this.#depth--;
      if (this.#depth === 0) return index + 1;
    }
    return undefined;
  }

  #keep(text: string): void {
    if (this.#oversized) return;
    this.#size += text.length;
    if (this.#size > MAX_JSON_ELEMENT_SIZE) {
      this.#oversized = true;
      this.#parts = [];
    } else {
      this.#parts.push(text);
    }
  }

  #completeElement(): void {
    this.#pieces.push(
      this.#oversized ? { kind: 'oversized', line: this.#elementLine } : { kind: 'element', line: this.#elementLine, text: this.#parts.join('') },
    );
    this.#parts = [];
    this.#state = 'afterElement';
  }

  #stop(line: number, reason: string): void {
    this.#pieces.push({ kind: 'broken', line, reason });
    this.#parts = [];
    this.#state = 'stopped';
  }
}
