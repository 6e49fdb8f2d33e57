import type { HeldRequest } from '../decisions/heldSubject.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { readRequests, type ReadRequestsOptions } from '../requests/readRequests.js';
import { RequestFileError } from '../requests/requestFileError.js';

export type IdentifiersRead = { request: PersonRequest } | { problem: string };

/**
 * A held request's identifiers, read again from the input file the ledger or plan recorded, only
 * if its bytes still have the recorded SHA-256, and with the options its run read it with. The request
 * is the one starting on its recorded line: its id in the ledger may not be the file's own.
 */
export async function readIdentifiers(held: HeldRequest): Promise<IdentifiersRead> {
  if ('problem' in held.input) return { problem: held.input.problem };
  const { options } = held;
  const reading: ReadRequestsOptions = {
    expectedSha256: held.input.sha256,
    ...(options.defaultCountry !== undefined ? { defaultCountry: options.defaultCountry } : {}),
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.dateOrder !== undefined ? { dateOrder: options.dateOrder } : {}),
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
  };
  try {
    for await (const outcome of readRequests(held.input.file, reading)) {
      if (outcome.kind === 'request' && outcome.request.source.line === held.source.line) return { request: outcome.request };
    }
  } catch (error) {
    if (error instanceof RequestFileError) return { problem: `the input file cannot be read again (${error.code})` };
    throw error;
  }
  return { problem: `the input file has no valid request on line ${held.source.line}` };
}
