import type { ReadRequestsOptions } from './readRequests.js';
import type { RowCountsByHash } from './repeatedRequestIds.js';
import { RequestMerger } from './requestMerger.js';

/** Pass 2's merger for a file, with the reading options that concern validation. */
export function requestMergerFor(file: string, rowsOfRepeatedIds: RowCountsByHash, options: ReadRequestsOptions): RequestMerger {
  return new RequestMerger({
    file,
    rowsOfRepeatedIds,
    ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
    ...(options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder }),
    ...(options.idBase === undefined ? {} : { idBase: options.idBase }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
}
