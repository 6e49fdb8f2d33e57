import { collectFieldValues } from './collectFieldValues.js';
import { hashRequestId } from './hashRequestId.js';
import { RepeatedRequestIds, type RepeatedRowCounts, type RowCountsByHash } from './repeatedRequestIds.js';
import { requestIdOf } from './requestIdOf.js';
import type { SourceRow } from './sourceRow.js';

/** A file with more distinct unknown columns than this is reported with the first ones only. */
const MAX_REPORTED_UNKNOWN_COLUMNS = 100;

/** What pass 1 learns from the rows, unvalidated: the request_ids spanning several rows, and the unknown columns. */
export class RowTally {
  readonly #repeated = new RepeatedRequestIds();
  // rowCounts() releases the per-row hashes: taken once, at the end of pass 1
  #counts: RepeatedRowCounts | undefined;
  readonly #unknownColumns = new Set<string>();
  #rows = 0;

  add(rows: readonly SourceRow[]): void {
    for (const row of rows) {
      this.#rows++;
      const fields = collectFieldValues(row);
      for (const name of fields.unknownColumns) {
        if (this.#unknownColumns.size < MAX_REPORTED_UNKNOWN_COLUMNS) this.#unknownColumns.add(name);
      }
      const requestId = requestIdOf(fields.values);
      if (requestId !== undefined) this.#repeated.add(hashRequestId(requestId));
    }
  }

  /** How many requests pass 2 will give: each row, but a repeated id's rows make one request (the progress line's total). */
  requests(): number {
    const repeated = this.#repeatedCounts();
    return this.#rows - repeated.rows + repeated.size;
  }

  /** Hash of request_id → number of rows, for the ids (or colliding hashes) found on more than one row. */
  rowsOfRepeatedIds(): RowCountsByHash {
    return this.#repeatedCounts();
  }

  #repeatedCounts(): RepeatedRowCounts {
    this.#counts ??= this.#repeated.rowCounts();
    return this.#counts;
  }

  unknownColumns(): string[] {
    return [...this.#unknownColumns];
  }
}
