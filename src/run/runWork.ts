import { basename } from 'node:path';
import type { Logger } from '../logging/createLogger.js';
import type { EarlierResolution } from '../plan/applyPlannedRequest.js';
import type { PlannedRequest } from '../plan/plan.js';
import type { ReadOutcome } from '../requests/personRequest.js';
import { readRequests } from '../requests/readRequests.js';
import type { RunOptions } from './runErasure.js';

/** One piece of a run's work: a request read (or a row rejected) from a file, or a plan's request as planned. */
export type Work = ReadOutcome | { kind: 'planned'; entry: PlannedRequest; earlier?: EarlierResolution };

/**
 * The run's work: the plan's requests as planned (apply), or the requests read from the files.
 * `onFileCounted`: told how many requests each file holds once its first pass is read.
 */
export async function* workOf(
  options: RunOptions,
  inputs: readonly { file: string; sha256: string }[],
  idBases: ReadonlyMap<string, string>,
  logger: Logger,
  onFileCounted?: (requests: number) => void,
): AsyncIterable<Work> {
  if (options.source.kind === 'plan') {
    for (const entry of options.source.plan.requests) yield { kind: 'planned', entry };
    return;
  }
  if (options.source.kind === 'held') {
    for (const { entry, earlier } of options.source.requests) yield { kind: 'planned', entry, earlier };
    return;
  }
  for (const { file, sha256 } of inputs) {
    let outcomes = 0;
    for await (const outcome of readRequests(file, {
      // the requests read must come from the very bytes the run event names
      expectedSha256: sha256,
      idBase: idBases.get(file) ?? basename(file),
      ...(options.defaultCountry !== undefined ? { defaultCountry: options.defaultCountry } : {}),
      ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
      ...(options.dateOrder !== undefined ? { dateOrder: options.dateOrder } : {}),
      ...(onFileCounted !== undefined ? { onCounted: onFileCounted } : {}),
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      onWarning: ({ message, ...where }) => logger.warn(where, message),
      onUnknownColumns: (name: string, columns: string[]) => logger.warn({ file: name, columns }, 'unknown columns ignored'),
    })) {
      outcomes += 1;
      yield outcome;
    }
    if (outcomes === 0) logger.warn({ file }, 'the file holds no request: it is empty or has a header only');
  }
}

export function requestIdOf(work: Work): string {
  return work.kind === 'request' ? work.request.requestId : work.kind === 'rejected' ? work.rejected.requestId : work.entry.requestId;
}
