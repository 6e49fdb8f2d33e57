import { invalidArgument } from './apiErrors.js';

/** Notes: "At most 100 per page". */
export const MAX_PAGE_SIZE = 100;
/** ASSUMED: the page size when `first` is omitted. */
export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
}

interface SortKey {
  epochMs: number;
  id: string;
}

/**
 * Relay pagination over items sorted newest first, then by id. Cursors are opaque base64 of
 * `epochMs&&uuid` (the notes' old example decodes that way) and are keys, not offsets: a page
 * after a cursor stays right when items before it vanish from the results mid-walk, as
 * conversations do from a text search once anonymized.
 */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  epochMsOf: (item: T) => number,
  first: number | null | undefined,
  after: string | null | undefined,
): Page<T> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`Argument 'first' must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`);
  }
  const keyOf = (item: T): SortKey => ({ epochMs: epochMsOf(item), id: item.id });
  const start = after == null ? 0 : firstIndexAfter(items, keyOf, decodeCursor(after));
  const slice = items.slice(start, start + size);
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
    },
  };
}

function compareKeys(a: SortKey, b: SortKey): number {
  return b.epochMs - a.epochMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function firstIndexAfter<T>(items: readonly T[], keyOf: (item: T) => SortKey, cursor: SortKey): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keyOf(items[middle]!), cursor) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(`${key.epochMs}&&${key.id}`, 'utf8').toString('base64');
}

function decodeCursor(cursor: string): SortKey {
  const [epochMs, id, extra] = Buffer.from(cursor, 'base64').toString('utf8').split('&&');
  if (extra !== undefined || id === undefined || !/^\d+$/.test(epochMs ?? '')) {
    throw invalidArgument(`Argument 'after' is not a valid cursor`);
  }
  return { epochMs: Number(epochMs), id };
}
