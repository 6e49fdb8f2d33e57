import type { FileHandle } from 'node:fs/promises';
import { collectFieldValues } from './collectFieldValues.js';
import { hashRequestId } from './hashRequestId.js';
import { HashedFileReader } from './hashedFileReader.js';
import { RepeatedRequestIds, type RowCountsByHash } from './repeatedRequestIds.js';
import { requestIdOf } from './requestIdOf.js';
import type { RowReader } from './sourceRow.js';

/** A file with more distinct unknown columns than this is reported with the first ones only. */
const MAX_REPORTED_UNKNOWN_COLUMNS = 100;

export interface RequestFileScan {
  sha256: string;
  bytes: number;
  /** Hash of request_id → number of rows, for the ids (or colliding hashes) found on more than one row. */
  rowsOfRepeatedIds: RowCountsByHash;
  unknownColumns: string[];
}

/** Pass 1: reads every row without validating it, to learn which request_ids span several rows, and hashes the file. */
export async function scanRequestFile(handle: FileHandle, readRows: RowReader): Promise<RequestFileScan> {
  const reader = new HashedFileReader(handle);
  const repeated = new RepeatedRequestIds();
  const unknownColumns = new Set<string>();
  for await (const rows of readRows(reader.chunks())) {
    for (const row of rows) {
      const fields = collectFieldValues(row);
      for (const name of fields.unknownColumns) {
        if (unknownColumns.size < MAX_REPORTED_UNKNOWN_COLUMNS) unknownColumns.add(name);
      }
      const requestId = requestIdOf(fields.values);
      if (requestId !== undefined) repeated.add(hashRequestId(requestId));
    }
  }
  const digest = await reader.finish();
  return { ...digest, rowsOfRepeatedIds: repeated.rowCounts(), unknownColumns: [...unknownColumns] };
}
