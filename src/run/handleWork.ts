import type { TargetRegistry } from '../anonymize/targetRegistry.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { RequestEvent, RequestStatus } from '../ledger/ledgerEvents.js';
import type { Logger } from '../logging/createLogger.js';
import { applyPlannedRequest } from '../plan/applyPlannedRequest.js';
import { PersonLinks } from './personLinks.js';
import { processRequest, rejectedEvent } from './processRequest.js';
import { contentDigest, rejectedRowDigest } from './requestDigests.js';
import { RequestIdentities, type IdentityDecision } from './requestIdentity.js';
import type { RunObserver, RunOptions } from './runErasure.js';
import { requestIdOf, type Work } from './runWork.js';
import type { StartedRun } from './startRun.js';

export interface WorkHandlerContext {
  runId: string;
  options: RunOptions;
  run: StartedRun;
  client: IadvizeClient;
  logger: Logger;
  registry: TargetRegistry;
  piiKey?: string;
  observer?: RunObserver;
  /** Each request's status so far in this run, by requestId: written as requests start and finish. */
  statuses: Map<string, RequestStatus>;
}

/**
 * One piece of work, start to end: skipped when an earlier run settled it, recorded when its row
 * was rejected, else resolved and anonymized (or applied as planned), and its request event recorded.
 */
export function workHandler(context: WorkHandlerContext): (work: Work) => Promise<void> {
  const { runId, options, run, client, logger, registry, statuses } = context;
  const { previous, digestKey, record } = run;
  const processContext = {
    runId,
    resolve: {
      client,
      interval: options.interval,
      projectIds: options.projectIds,
      maxVisitorsPerRequest: options.maxVisitorsPerRequest,
      ...(options.defaultCountry !== undefined ? { defaultCountry: options.defaultCountry } : {}),
    },
    client,
    registry,
    dryRun: options.dryRun,
    decisionFor: run.decisionFor,
    recordResolution: record,
    digestKey: digestKey.key,
    links: new PersonLinks(previous.personDigests, (requestId) => registry.targetsOf(requestId)),
    ...(context.piiKey !== undefined ? { piiKey: context.piiKey } : {}),
    ...(context.observer !== undefined ? { onResolved: context.observer.resolved.bind(context.observer) } : {}),
  };
  const identities = new RequestIdentities(previous, digestKey.keyId, options.projectIds);
  const sha256ByFile = new Map(run.inputs.map((input) => [input.file, input.sha256]));

  async function handle(work: Work): Promise<void> {
    const { decision, digest } = decide(work);
    if (decision.action === 'skip') {
      statuses.set(decision.requestId, decision.status);
      logger.debug({ requestId: decision.requestId, status: decision.status }, 'request settled by an earlier run; skipped');
      return;
    }
    const { requestId } = decision;
    const note = decision.action === 'process' ? decision.note : undefined;
    const fileRequestId = requestIdOf(work) !== requestId ? { fileRequestId: requestIdOf(work) } : {};
    if (note !== undefined) logger.warn({ requestId, ...fileRequestId, reason: note }, 'request recorded under another id');
    if (work.kind === 'rejected') {
      const rejected = { ...work.rejected, requestId };
      for (const problem of rejected.problems)
        logger.warn({ requestId, file: rejected.source.file, line: problem.line, reason: problem.reason }, 'row rejected');
      const event = rejectedEvent(rejected, runId);
      return finish({ ...event, ...fileRequestId, ...(note !== undefined ? { reason: `${note}; ${event.reason}` } : {}) });
    }
    statuses.set(requestId, 'planned');
    try {
      if (work.kind === 'planned') return await finish(await applyPlannedRequest(work.entry, processContext, work.earlier));
      const identity = { ...(digest !== undefined ? { contentDigest: digest } : {}), ...fileRequestId, ...(note !== undefined ? { note } : {}) };
      await finish(await processRequest({ ...work.request, requestId }, processContext, identity));
    } catch (error) {
      statuses.delete(requestId);
      throw error;
    }
  }

  /** Under which id the work is done, or that an earlier run settled it (requestIdentity.ts). */
  function decide(work: Work): { decision: IdentityDecision; digest?: string } {
    if (work.kind === 'planned') return { decision: identities.decideById(work.entry.requestId) };
    const { requestId, source } = work.kind === 'request' ? work.request : work.rejected;
    const sourceSha256 = sha256ByFile.get(source.file);
    const digest = work.kind === 'request' ? contentDigest(work.request, digestKey.key) : undefined;
    const discriminator = (digest ?? rejectedRowDigest(sourceSha256, source.line, digestKey.key)).slice(0, 8);
    const supersede = options.resolveAgain?.has(requestId) === true;
    const decision = identities.decide(
      { requestId, source, discriminator, ...(digest !== undefined ? { digest } : {}), ...(sourceSha256 !== undefined ? { sourceSha256 } : {}) },
      supersede,
    );
    return { decision, ...(digest !== undefined ? { digest } : {}) };
  }

  async function finish(event: RequestEvent): Promise<void> {
    statuses.set(event.requestId, event.status);
    await record(event);
    context.observer?.finished(event);
    logger.info({ requestId: event.requestId, status: event.status, conversations: event.conversations, visitors: event.visitors }, 'request finished');
  }

  return handle;
}
