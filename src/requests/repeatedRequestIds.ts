/** Hashes kept a block at a time: growing one array would leave every smaller copy behind until a full GC. */
const BLOCK_SIZE = 64 * 1024;

/** Number of rows per request_id hash, for the hashes found on more than one row. */
export interface RowCountsByHash {
  /** Rows of this hash, or undefined when it is on one row only (or none). */
  get(hash: number): number | undefined;
  readonly size: number;
}

/** As pass 1 counts them: with the rows of all these hashes together. */
export interface RepeatedRowCounts extends RowCountsByHash {
  readonly rows: number;
}

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

  /**
   * The hashes seen on more than one row, with their row counts. Releases the per-row hashes. Each
   * block is sorted in place and the blocks are merged: no second copy of the per-row hashes, and no
   * Map, whose entries would be young objects that survive into pass 2.
   */
  rowCounts(): RepeatedRowCounts {
    const lastLength = this.#count - (this.#blocks.length - 1) * BLOCK_SIZE;
    const sorted = this.#blocks.map((block, index) => (index === this.#blocks.length - 1 ? block.subarray(0, lastLength) : block).sort());
    this.#blocks = [];
    this.#count = 0;
    const counts = new RowCountsBuilder();
    let runHash = 0;
    let runRows = 0;
    mergeSorted(sorted, (hash) => {
      if (runRows > 0 && hash === runHash) {
        runRows++;
        return;
      }
      if (runRows > 1) counts.add(runHash, runRows);
      runHash = hash;
      runRows = 1;
    });
    if (runRows > 1) counts.add(runHash, runRows);
    return counts.build();
  }
}

/** Calls back with every value of the sorted arrays, in order: a k-way merge on a binary heap of cursors. */
function mergeSorted(arrays: readonly Uint32Array[], onValue: (value: number) => void): void {
  const sources = arrays.filter((array) => array.length > 0);
  const positions = new Uint32Array(sources.length);
  // heap of source indexes, ordered by each source's current value
  const heap = sources.map((_, index) => index);
  const valueOf = (source: number) => sources[source]![positions[source]!]!;
  const siftDown = (start: number) => {
    for (let parent = start; ;) {
      const left = 2 * parent + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && valueOf(heap[right]!) < valueOf(heap[left]!) ? right : left;
      if (valueOf(heap[child]!) >= valueOf(heap[parent]!)) return;
      [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
      parent = child;
    }
  };
  for (let index = Math.floor(heap.length / 2) - 1; index >= 0; index--) siftDown(index);
  while (heap.length > 0) {
    const source = heap[0]!;
    onValue(valueOf(source));
    positions[source]!++;
    if (positions[source]! === sources[source]!.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    siftDown(0);
  }
}

/** Hash and row count pairs, added in ascending hash order, kept in typed arrays that double as needed. */
class RowCountsBuilder {
  #hashes: Uint32Array = new Uint32Array(1024);
  #counts: Uint32Array = new Uint32Array(1024);
  #size = 0;

  add(hash: number, rows: number): void {
    if (this.#size === this.#hashes.length) {
      this.#hashes = grown(this.#hashes);
      this.#counts = grown(this.#counts);
    }
    this.#hashes[this.#size] = hash;
    this.#counts[this.#size++] = rows;
  }

  build(): RepeatedRowCounts {
    return new SortedRowCounts(this.#hashes.slice(0, this.#size), this.#counts.slice(0, this.#size));
  }
}

function grown(array: Uint32Array): Uint32Array {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}

class SortedRowCounts implements RepeatedRowCounts {
  readonly #hashes: Uint32Array;
  readonly #counts: Uint32Array;
  readonly rows: number;

  constructor(hashes: Uint32Array, counts: Uint32Array) {
    this.#hashes = hashes;
    this.#counts = counts;
    this.rows = counts.reduce((sum, rows) => sum + rows, 0);
  }

  get size(): number {
    return this.#hashes.length;
  }

  get(hash: number): number | undefined {
    let low = 0;
    let high = this.#hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.#hashes[middle]!;
      if (found === hash) return this.#counts[middle];
      if (found < hash) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}
