import type { FieldValueLists } from './collectFieldValues.js';
import { requestIdProblem } from './requestIdProblem.js';

/**
 * The request_id a row names, when it names exactly one (repeated identical values count as one) and
 * that one may be shown (requestIdProblem).
 */
export function requestIdOf(values: FieldValueLists): string | undefined {
  const ids = values.request_id;
  return ids !== undefined && allEqual(ids) && requestIdProblem(ids[0]!) === undefined ? ids[0] : undefined;
}

/** True when the list has values and they are all the same one; no Set per row. */
export function allEqual(values: readonly string[]): boolean {
  return values.length > 0 && values.every((value) => value === values[0]);
}
