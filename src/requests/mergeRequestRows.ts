import { basename } from 'node:path';
import { hashRequestId } from './hashRequestId.js';
import type { ReadOutcome } from './personRequest.js';
import { RequestAccumulator } from './requestAccumulator.js';
import type { SourceRow } from './sourceRow.js';
import { validateRow, type ValidateRowOptions } from './validateRow.js';

export interface MergeRequestRowsOptions extends ValidateRowOptions {
  /** The file as given: the source of each request, and the base of derived request ids. */
  file: string;
  /** From pass 1: hash of request_id → number of rows, for the ids found on more than one row. */
  rowsOfRepeatedIds: ReadonlyMap<number, number>;
}

/**
 * Pass 2: validates each row and yields each request as soon as its last row has been read. Rows whose
 * request_id hash pass 1 saw once are complete at once; the others wait, grouped by the actual id, until
 * the last row of their hash has been read (a collision only delays them). Returns what is still waiting at the end,
 * which only happens when the file changed since pass 1.
 */
export async function* mergeRequestRows(
  rows: AsyncIterable<SourceRow>,
  options: MergeRequestRowsOptions,
): AsyncGenerator<ReadOutcome, RequestAccumulator[]> {
  const { file, rowsOfRepeatedIds } = options;
  const fileName = basename(file);
  const waiting = new Map<number, WaitingRows>();
  for await (const row of rows) {
    const validated = validateRow(row, options);
    const { requestId } = validated;
    const hash = requestId === undefined ? undefined : hashRequestId(requestId);
    const rowsOfHash = hash === undefined ? undefined : rowsOfRepeatedIds.get(hash);
    if (requestId === undefined || hash === undefined || rowsOfHash === undefined) {
      const request = new RequestAccumulator(requestId ?? derivedRequestId(fileName, row), { file, line: row.line });
      request.add(validated);
      yield request.outcome();
      continue;
    }
    const group = waiting.get(hash) ?? { rowsLeft: rowsOfHash, requests: new Map<string, RequestAccumulator>() };
    waiting.set(hash, group);
    const request = group.requests.get(requestId) ?? new RequestAccumulator(requestId, { file, line: row.line });
    group.requests.set(requestId, request);
    request.add(validated);
    group.rowsLeft--;
    if (group.rowsLeft <= 0) {
      waiting.delete(hash);
      for (const complete of group.requests.values()) yield complete.outcome();
    }
  }
  return [...waiting.values()].flatMap((group) => [...group.requests.values()]);
}

interface WaitingRows {
  /** Rows of this hash not read yet: pass 1 counted them all. */
  rowsLeft: number;
  requests: Map<string, RequestAccumulator>;
}

/** The id of a row that names no request_id: stable as long as the file's name and the row's line are. */
function derivedRequestId(fileName: string, row: SourceRow): string {
  return `${fileName}:L${row.line}${row.rankOnLine === undefined ? '' : `#${row.rankOnLine}`}`;
}
