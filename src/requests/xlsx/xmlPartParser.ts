import { SaxesParser } from 'saxes';
import { FileFormatError } from '../requestFileError.js';

export interface XmlHandlers {
  /** A start tag, by its local name (any namespace prefix dropped), with its attributes as written. */
  open?: (name: string, attributes: Readonly<Record<string, string>>) => void;
  /** Character data (text or CDATA), entities decoded; one text may come in several calls. */
  text?: (text: string) => void;
  close?: (name: string) => void;
}

// Small pieces, so that what the parser may hold between two events is known to within one piece.
const WRITE_SIZE = 64 * 1024;

/**
 * A streaming XML parser for one part of a workbook. It refuses a DOCTYPE outright (OOXML has none),
 * so no entity is ever declared or resolved, external or not. It stops once more than
 * `maxNodeChars` characters pass without a tag or a text ending: the parser's buffers stay bounded.
 * Its errors name the part only: the parser's messages may quote the content.
 */
export class XmlPartParser {
  readonly #parser = new SaxesParser();
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #part: string;
  readonly #maxNodeChars: number;
  /** The parser's position at its last event: what lies past it, it may be buffering. */
  #lastEvent = 0;

  constructor(part: string, handlers: XmlHandlers, maxNodeChars: number) {
    this.#part = part;
    this.#maxNodeChars = maxNodeChars;
    const parser = this.#parser;
    const { open, text, close } = handlers;
    const seen = () => {
      this.#lastEvent = parser.position;
    };
    parser.on('opentag', (tag) => {
      seen();
      open?.(localName(tag.name), tag.attributes as Record<string, string>);
    });
    parser.on('closetag', (tag) => {
      seen();
      close?.(localName(tag.name));
    });
    parser.on('text', (data) => {
      seen();
      text?.(data);
    });
    parser.on('cdata', (data) => {
      seen();
      text?.(data);
    });
    parser.on('comment', seen);
    parser.on('processinginstruction', seen);
    parser.on('doctype', () => {
      throw new FileFormatError(`the workbook's part ${part} declares a DOCTYPE, which no Excel file does; it is refused`);
    });
    parser.on('error', () => {
      throw new FileFormatError(`the workbook's part ${part} is not well-formed XML; open the file in Excel and save it again`);
    });
  }

  write(chunk: Buffer): void {
    this.#feed(this.#decode(chunk, true));
  }

  end(): void {
    this.#feed(this.#decode(undefined, false));
    this.#guard(() => this.#parser.close());
  }

  #decode(chunk: Buffer | undefined, stream: boolean): string {
    try {
      return this.#decoder.decode(chunk, { stream });
    } catch {
      throw new FileFormatError(`the workbook's part ${this.#part} is not UTF-8; open the file in Excel and save it again`);
    }
  }

  #feed(text: string): void {
    for (let start = 0; start < text.length; start += WRITE_SIZE) {
      const piece = text.slice(start, start + WRITE_SIZE);
      this.#guard(() => this.#parser.write(piece));
      if (this.#parser.position - this.#lastEvent > this.#maxNodeChars) {
        throw new FileFormatError(`the workbook's part ${this.#part} holds an XML node longer than ${this.#maxNodeChars} characters; it is refused`);
      }
    }
  }

  #guard(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      if (error instanceof FileFormatError) throw error;
      throw new FileFormatError(`the workbook's part ${this.#part} is not well-formed XML; open the file in Excel and save it again`);
    }
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
