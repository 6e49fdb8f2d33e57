import { UUID_WORDS } from './uuidWords.js';

// per slot: the UUID's four words, then a tag (row * 2 + kind) + 1, 0 for an empty slot
const SLOT_WORDS = UUID_WORDS + 1;
const INITIAL_SLOTS = 1024;

/**
 * Which row holds a target, by kind (0 or 1) and UUID words. Asked once per ledger line on resume,
 * so it holds numbers in one typed array: no key string built, one memory region probed, nothing
 * for the garbage collector. Open addressing, linear probing, at most half full.
 */
export class UuidRowIndex {
  private slots = new Uint32Array(INITIAL_SLOTS * SLOT_WORDS);
  private capacity = INITIAL_SLOTS;
  private count = 0;

  /** The row of the target whose words are at `key[at..at+4)`, or -1. */
  find(kind: number, key: Uint32Array, at: number): number {
    const slot = this.probe(kind, key, at);
    const tag = this.slots[slot * SLOT_WORDS + UUID_WORDS]!;
    return tag === 0 ? -1 : (tag - 1 - kind) / 2;
  }

  /** The row of that target if known; otherwise records it at `row` and returns -1. */
  findOrAdd(kind: number, key: Uint32Array, at: number, row: number): number {
    if (2 * (this.count + 1) > this.capacity) this.grow();
    const slot = this.probe(kind, key, at);
    const base = slot * SLOT_WORDS;
    const tag = this.slots[base + UUID_WORDS]!;
    if (tag !== 0) return (tag - 1 - kind) / 2;
    this.place(base, key, at, row * 2 + kind + 1);
    this.count += 1;
    return -1;
  }

  /** The slot holding the target, or the empty slot where it would go. */
  private probe(kind: number, key: Uint32Array, at: number): number {
    const a = key[at]!;
    const b = key[at + 1]!;
    const c = key[at + 2]!;
    const d = key[at + 3]!;
    const slots = this.slots;
    const mask = this.capacity - 1;
    let slot = hash(a, b, c, d, kind) & mask;
    for (;;) {
      const base = slot * SLOT_WORDS;
      const tag = slots[base + UUID_WORDS]!;
      if (tag === 0) return slot;
      if (((tag - 1) & 1) === kind && slots[base] === a && slots[base + 1] === b && slots[base + 2] === c && slots[base + 3] === d) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private place(base: number, key: Uint32Array, at: number, tag: number): void {
    const slots = this.slots;
    slots[base] = key[at]!;
    slots[base + 1] = key[at + 1]!;
    slots[base + 2] = key[at + 2]!;
    slots[base + 3] = key[at + 3]!;
    slots[base + UUID_WORDS] = tag;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * SLOT_WORDS);
    for (let base = 0; base < old.length; base += SLOT_WORDS) {
      const tag = old[base + UUID_WORDS]!;
      if (tag === 0) continue;
      const slot = this.probe((tag - 1) & 1, old, base);
      this.place(slot * SLOT_WORDS, old, base, tag);
    }
  }
}

/** Every word of the UUID matters: ids made from a counter differ in their last word only. */
function hash(a: number, b: number, c: number, d: number, kind: number): number {
  let h = Math.imul(a ^ kind, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x1b873593);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xcc9e2d51);
  h = Math.imul(h ^ (h >>> 16) ^ d, 0x1b873593);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
