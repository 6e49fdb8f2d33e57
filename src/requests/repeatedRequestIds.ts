/** Hashes kept a block at a time: growing one array would leave every smaller copy behind until a full GC. */
const BLOCK_SIZE = 64 * 1024;

/**
 * Records the hash of the request_id of each row that names one, 4 bytes a row, then tells which
 * hashes occur on more than one row and on how many: the only ids whose rows must be held back
 * until their last row has been read.
 */
export class RepeatedRequestIds {
  #blocks: Uint32Array[] = [];
  #count = 0;

  add(hash: number): void {
    const offset = this.#count % BLOCK_SIZE;
    if (offset === 0) this.#blocks.push(new Uint32Array(BLOCK_SIZE));
    this.#blocks[this.#blocks.length - 1]![offset] = hash;
    this.#count++;
  }

  /** Hash → number of rows, for the hashes seen on more than one row. Releases the per-row hashes. */
  rowCounts(): Map<number, number> {
    const hashes = new Uint32Array(this.#count);
    for (const [index, block] of this.#blocks.entries()) {
      hashes.set(block.subarray(0, Math.min(BLOCK_SIZE, this.#count - index * BLOCK_SIZE)), index * BLOCK_SIZE);
    }
    this.#blocks = [];
    this.#count = 0;
    hashes.sort();
    const rowCounts = new Map<number, number>();
    for (let start = 0, end = 1; start < hashes.length; start = end, end = start + 1) {
      while (end < hashes.length && hashes[end] === hashes[start]) end++;
      if (end - start > 1) rowCounts.set(hashes[start]!, end - start);
    }
    return rowCounts;
  }
}
