import { basename } from 'node:path';
import { hashRequestId } from './hashRequestId.js';
import type { ReadOutcome } from './personRequest.js';
import type { RowCountsByHash } from './repeatedRequestIds.js';
import { RequestAccumulator } from './requestAccumulator.js';
import type { RequestFileWarning } from './requestFileWarning.js';
import type { SourceRow } from './sourceRow.js';
import { validateRow, type ValidateRowOptions } from './validateRow.js';

export interface RequestMergerOptions extends ValidateRowOptions {
  /** The file as given: the source of each request, and the base of derived request ids. */
  file: string;
  /** From pass 1: hash of request_id → number of rows, for the ids found on more than one row. */
  rowsOfRepeatedIds: RowCountsByHash;
  /** What rows without request_id are named after (default: the file's name). */
  idBase?: string;
  /** Told of each row's warnings, as the row is validated. */
  onWarning?: (warning: RequestFileWarning) => void;
}

interface WaitingRows {
  /** Rows of this hash not read yet: pass 1 counted them all. */
  rowsLeft: number;
  requests: Map<string, RequestAccumulator>;
}

/**
 * Pass 2: validates each row and gives each request as soon as its last row has been read. Rows whose
 * request_id hash pass 1 saw once are complete at once; the others wait, grouped by the actual id, until
 * the last row of their hash has been read (a collision only delays them).
 */
export class RequestMerger {
  readonly #options: RequestMergerOptions;
  readonly #fileName: string;
  readonly #waiting = new Map<number, WaitingRows>();

  constructor(options: RequestMergerOptions) {
    this.#options = options;
    this.#fileName = options.idBase ?? basename(options.file);
  }

  /** The requests these rows (the next ones of the file, in order) complete, in the order they complete. */
  merge(rows: readonly SourceRow[]): ReadOutcome[] {
    const { file, rowsOfRepeatedIds } = this.#options;
    const complete: ReadOutcome[] = [];
    for (const row of rows) {
      const validated = validateRow(row, this.#options);
      const { requestId } = validated;
      for (const message of validated.warnings) {
        this.#options.onWarning?.({ file, line: row.line, requestId: requestId ?? derivedRequestId(this.#fileName, row), message });
      }
      const hash = requestId === undefined ? undefined : hashRequestId(requestId);
      const rowsOfHash = hash === undefined ? undefined : rowsOfRepeatedIds.get(hash);
      if (requestId === undefined || hash === undefined || rowsOfHash === undefined) {
        const request = new RequestAccumulator(requestId ?? derivedRequestId(this.#fileName, row), { file, line: row.line });
        request.add(validated);
        complete.push(request.outcome());
        continue;
      }
      const group = this.#waiting.get(hash) ?? { rowsLeft: rowsOfHash, requests: new Map<string, RequestAccumulator>() };
      this.#waiting.set(hash, group);
      const request = group.requests.get(requestId) ?? new RequestAccumulator(requestId, { file, line: row.line });
      group.requests.set(requestId, request);
      request.add(validated);
      group.rowsLeft--;
      if (group.rowsLeft <= 0) {
        this.#waiting.delete(hash);
        for (const request of group.requests.values()) complete.push(request.outcome());
      }
    }
    return complete;
  }

  /** The requests still waiting for rows: none, unless the file changed since pass 1. */
  leftovers(): ReadOutcome[] {
    return [...this.#waiting.values()].flatMap((group) => [...group.requests.values()].map((request) => request.outcome()));
  }
}

/** The id of a row that names no request_id: stable as long as the file's name and the row's line are. */
function derivedRequestId(fileName: string, row: SourceRow): string {
  return `${fileName}:L${row.line}${row.rankOnLine === undefined ? '' : `#${row.rankOnLine}`}`;
}
