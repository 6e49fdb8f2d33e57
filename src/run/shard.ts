import { createHash } from 'node:crypto';

/** `--shard index/count`: this process takes the requests whose id hashes to `index` (0-based). */
export interface Shard {
  index: number;
  count: number;
}

/** Stable on every machine and version: a request always falls in the same shard, so a re-run resumes it. */
export function inShard(requestId: string, shard: Shard): boolean {
  return createHash('sha256').update(requestId, 'utf8').digest().readUInt32BE(0) % shard.count === shard.index;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** "2/8" → { index: 2, count: 8 }; undefined when the text is not a shard of 1 to 1000. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (match === null) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && count <= 1000 && index < count ? { index, count } : undefined;
}
