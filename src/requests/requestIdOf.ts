import type { FieldValueLists } from './collectFieldValues.js';

/** The request_id a row names, when it names exactly one (repeated identical values count as one). */
export function requestIdOf(values: FieldValueLists): string | undefined {
  const ids = values.request_id;
  return ids !== undefined && allEqual(ids) ? ids[0] : undefined;
}

/** True when the list has values and they are all the same one; no Set per row. */
export function allEqual(values: readonly string[]): boolean {
  return values.length > 0 && values.every((value) => value === values[0]);
}
