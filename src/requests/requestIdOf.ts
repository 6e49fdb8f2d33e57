import type { RequestField } from './columnAliases.js';

/** The request_id a row names, when it names exactly one (repeated identical values count as one). */
export function requestIdOf(values: ReadonlyMap<RequestField, string[]>): string | undefined {
  const ids = new Set(values.get('request_id'));
  return ids.size === 1 ? [...ids][0] : undefined;
}
