/**
 * The plain text of a string item (`<si>` of the shared strings, `<is>` of an inline string): its
 * `<t>` elements joined, whether one alone or one per rich-text run, leaving out the phonetic
 * guides (`<rPh>`, East Asian readings) that Excel does not show in the cell.
 */
export class RichTextCollector {
  #parts: string[] = [];
  #inText = false;
  #phoneticDepth = 0;

  start(): void {
    this.#parts = [];
    this.#inText = false;
    this.#phoneticDepth = 0;
  }

  open(name: string): void {
    if (name === 'rPh') this.#phoneticDepth++;
    else if (name === 't' && this.#phoneticDepth === 0) this.#inText = true;
  }

  text(text: string): void {
    if (this.#inText) this.#parts.push(text);
  }

  close(name: string): void {
    if (name === 'rPh') this.#phoneticDepth = Math.max(0, this.#phoneticDepth - 1);
    else if (name === 't') this.#inText = false;
  }

  finish(): string {
    const text = this.#parts.join('');
    this.#parts = [];
    return text;
  }
}
