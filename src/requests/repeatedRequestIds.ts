/**
 * Records (hash of request_id, line) for each row that names a request_id, 8 bytes a row, then tells
 * which hashes occur on more than one row and the last line of each: the only ids whose rows must be
 * held back until their last row has been read.
 */
export class RepeatedRequestIds {
  #hashes = new Uint32Array(1024);
  #lines = new Uint32Array(1024);
  #count = 0;

  add(hash: number, line: number): void {
    if (this.#count === this.#hashes.length) {
      this.#hashes = grow(this.#hashes);
      this.#lines = grow(this.#lines);
    }
    this.#hashes[this.#count] = hash;
    this.#lines[this.#count] = line;
    this.#count++;
  }

  /** Hash → last line, for the hashes seen on more than one row. Releases the per-row arrays. */
  lastLines(): Map<number, number> {
    const sorted = this.#hashes.slice(0, this.#count).sort();
    const lastLines = new Map<number, number>();
    for (let index = 1; index < sorted.length; index++) {
      if (sorted[index] === sorted[index - 1]) lastLines.set(sorted[index]!, 0);
    }
    for (let index = 0; index < this.#count; index++) {
      const hash = this.#hashes[index]!;
      if (lastLines.has(hash)) lastLines.set(hash, Math.max(lastLines.get(hash)!, this.#lines[index]!));
    }
    this.#hashes = new Uint32Array(0);
    this.#lines = new Uint32Array(0);
    this.#count = 0;
    return lastLines;
  }
}

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}
