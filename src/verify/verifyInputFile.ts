import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { Logger } from '../logging/createLogger.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { readRequests } from '../requests/readRequests.js';
import { RequestFileError } from '../requests/requestFileError.js';
import { findRemaining, hasSearchableIdentifiers } from './findRemaining.js';
import type { InputGroup, PlannedCheck } from './planVerification.js';
import { verification, type RequestVerification } from './verification.js';

export interface VerifyFileContext {
  client: IadvizeClient;
  projectIds: number[];
  /** Requests checked at once; the client caps the calls in flight. */
  window: number;
  logger: Logger;
}

/**
 * Reads one input file and checks each of its planned requests, a bounded number at a time. If the
 * file cannot be read, or its bytes are not those the run read by the end, none of its results
 * stands: every planned request of it is `not_checked`.
 */
export async function verifyInputFile(group: InputGroup, context: VerifyFileContext): Promise<RequestVerification[]> {
  const results = new Map<string, RequestVerification>();
  const active = new Set<Promise<void>>();
  let fatal: unknown;
  let fileProblem: string | undefined;

  const start = async (request: PersonRequest, check: PlannedCheck): Promise<void> => {
    while (active.size >= context.window) await Promise.race(active);
    const task: Promise<void> = checkRequest(request, check, context)
      .then((result) => {
        results.set(check.requestId, result);
        context.logger.info(
          { requestId: check.requestId, result: result.result, conversations: result.conversationIds.length, visitors: result.visitorIds.length },
          'request verified',
        );
      })
      .catch((error: unknown) => {
        fatal ??= error;
      })
      .finally(() => active.delete(task));
    active.add(task);
  };

  try {
    // refused unless every byte read is one the run read: the file's results stand only then
    const outcomes = readRequests(group.path, {
      expectedSha256: group.sha256,
      ...(group.defaultCountry !== undefined ? { defaultCountry: group.defaultCountry } : {}),
      ...(group.encoding !== undefined ? { encoding: group.encoding } : {}),
      ...(group.dateOrder !== undefined ? { dateOrder: group.dateOrder } : {}),
      ...(group.sheet !== undefined ? { sheet: group.sheet } : {}),
      ...(group.idBase !== undefined ? { idBase: group.idBase } : {}),
    });
    for await (const outcome of outcomes) {
      if (fatal !== undefined) break;
      if (outcome.kind !== 'request') continue;
      const check = group.checks.get(outcome.request.requestId);
      if (check !== undefined && !results.has(check.requestId)) await start(outcome.request, check);
    }
  } catch (error) {
    if (!(error instanceof RequestFileError)) fatal ??= error;
    else fileProblem = error.code === 'changed_while_reading' ? 'input file changed while being verified' : `input file: ${error.reason}`;
  } finally {
    await Promise.all(active);
  }
  if (fatal !== undefined) throw fatal;

  return [...group.checks.values()].map((check) => {
    if (fileProblem !== undefined) return verification(check.requestId, check.source, 'not_checked', fileProblem);
    return (
      results.get(check.requestId) ??
      verification(
        check.requestId,
        check.source,
        'not_checked',
        'not found in its input file (a request without request_id is named after the file: keep its name)',
      )
    );
  });
}

/** A refused token ends verification (rethrown); any other API error fails this request's check only. */
async function checkRequest(request: PersonRequest, check: PlannedCheck, context: VerifyFileContext): Promise<RequestVerification> {
  const { requestId, source } = check;
  if (!hasSearchableIdentifiers(request)) {
    return { requestId, source, result: 'clean', conversationIds: [], visitorIds: [], reason: 'named by id only: nothing searchable to check' };
  }
  try {
    const all = await findRemaining(request, { client: context.client, interval: check.interval, projectIds: context.projectIds });
    const notKept = (id: string) => check.kept?.has(id) !== true;
    const found = { conversationIds: all.conversationIds.filter(notKept), visitorIds: all.visitorIds.filter(notKept) };
    const keptFound = all.conversationIds.length + all.visitorIds.length - found.conversationIds.length - found.visitorIds.length;
    const result = found.conversationIds.length + found.visitorIds.length > 0 ? 'remaining' : 'clean';
    return { requestId, source, result, ...found, ...(keptFound > 0 ? { reason: `${keptFound} found kept by a person's decision, not counted` } : {}) };
  } catch (error) {
    if (!(error instanceof ApiError) || error.kind === 'unauthorized') throw error;
    return verification(requestId, source, 'failed', `check failed: ${error.code}`);
  }
}
