/**
 * Deterministic pseudo-randomness for the simulator.
 *
 * Draws are keyed, not sequential: the n-th call for a given key (say, the second
 * attempt to anonymize one conversation) gets the same number whatever order concurrent
 * requests arrive in, so a seeded fault mix is reproducible under any concurrency.
 */

/** FNV-1a, 32-bit: a stable hash of a string. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** mulberry32: a small, well-distributed 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class KeyedRandom {
  private readonly drawsPerKey = new Map<string, number>();

  constructor(private readonly seed: number) {}

  /** A float in [0, 1) fixed by (seed, key, how many times this key was drawn before). */
  next(key: string): number {
    const n = this.drawsPerKey.get(key) ?? 0;
    this.drawsPerKey.set(key, n + 1);
    return mulberry32(hashString(`${key}#${n}`, hashString(String(this.seed))))();
  }
}
