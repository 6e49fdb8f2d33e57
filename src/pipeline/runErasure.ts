import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { ApiError, endsTheRun } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import { TargetRegistry } from '../anonymize/targetRegistry.js';
import type { LedgerEvent, RequestEvent, RequestStatus } from '../ledger/ledgerEvents.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import { openLedgerWriter } from '../ledger/ledgerWriter.js';
import { digestKeyPath, loadDigestKey } from '../ledger/digestKey.js';
import { readLedger } from '../ledger/readLedger.js';
import { summarize, type LedgerCounts } from '../ledger/summarizeLedger.js';
import { writeReport } from '../ledger/writeReport.js';
import type { Logger } from '../logging/createLogger.js';
import type { ExitCodeOf, Outcome } from '../outcome/outcome.js';
import type { PersonRequest, ReadOutcome } from '../requests/personRequest.js';
import { DEFAULT_DATE_ORDER, type DateOrder } from '../requests/receivedAtInstant.js';
import type { TextEncoding } from '../requests/textEncoding.js';
import { applyPlannedRequest } from '../plan/applyPlannedRequest.js';
import type { Plan, PlannedRequest } from '../plan/plan.js';
import { readRequests, sha256OfFile } from '../requests/readRequests.js';
import type { Resolution } from '../resolve/evidence.js';
import { checkLedgerBelongs } from './ledgerMismatch.js';
import { outcomeOfStatuses } from './outcomeOfStatuses.js';
import { PersonLinks } from './personLinks.js';
import { processRequest, rejectedEvent } from './processRequest.js';
import { contentDigest, rejectedRowDigest } from './requestDigests.js';
import { requestIdBases } from './requestIdBases.js';
import { RequestIdentities, type IdentityDecision } from './requestIdentity.js';
import { settledByTargets } from './settledByTargets.js';
import { startProgressLine } from './progressLine.js';
import { acquireRunLock } from '../lock/runLock.js';
import { formatShard, inShard, type Shard } from './shard.js';

/** What a run works on: the requests read from these files, or a plan's requests as planned (apply). */
export type WorkSource = { kind: 'files'; files: string[] } | { kind: 'plan'; path: string; sha256: string; plan: Plan };

export interface RunOptions {
  source: WorkSource;
  ledgerPath: string;
  reportPath: string;
  /** Calls in flight at most (DESIGN.md default 4). */
  concurrency: number;
  projectIds: number[];
  maxVisitorsPerRequest: number;
  defaultCountry?: CountryCode;
  /** `--encoding`: the request files' encoding; unset, each file's is detected. */
  encoding?: TextEncoding;
  /** `--date-order`: how received_at dates with the year last are read (default dmy). */
  dateOrder?: DateOrder;
  interval: { from: string; to: string };
  dryRun: boolean;
  /** `--approve`: held (needs_review) requests a person has reviewed and released. */
  approve?: ReadonlySet<string>;
  /** `--shard i/n`: only the requests of this share of the files (several processes split them). */
  shard?: Shard;
  /** The API endpoint: recorded, and a ledger written for another one is refused (ledgerMismatch.ts). */
  endpoint?: string;
  /** `--force-ledger`: use a ledger written for another endpoint or account all the same. */
  forceLedger?: boolean;
  /** Where the ledger's digest key lives without IADVIZE_PII_KEY (default: beside the ledger). */
  digestKeyFile?: string;
  /** Requests resolved again even if an earlier run settled them (watch: a row its writer's pause had cut). */
  resolveAgain?: ReadonlySet<string>;
}

/** Told of each request's resolution and outcome (`plan` builds its file from them). */
export interface RunObserver {
  resolved(requestId: string, resolution: Resolution): void;
  finished(event: RequestEvent): void;
}

export interface RunDependencies {
  client: IadvizeClient;
  logger: Logger;
  version: string;
  piiKey?: string;
  /** Aborted with 'SIGINT' or 'SIGTERM': take no new work, let calls in flight finish, flush; the outcome is interrupted or terminated. */
  stop?: AbortSignal;
  /** How long calls in flight may take to finish once stopping (default 10 s). */
  stopGraceMs?: number;
  observer?: RunObserver;
  /** The exit code the ledger's summary records for the run's outcome (the CLI's: commands/exitCodes.ts). */
  exitCodeOf: ExitCodeOf;
}

export interface RunResult {
  runId: string;
  /** The input files and their SHA-256, taken before reading them. */
  inputs: { file: string; sha256: string }[];
  outcome: Outcome;
  /** The one the ledger's summary records: exitCodeOf(outcome). */
  exitCode: number;
  /** Why the run stopped sending before the end, when the circuit breaker stopped it. */
  stoppedBecause?: string;
  /** This run's requests, by final status (skipped ones count under the status they kept). */
  requests: Partial<Record<RequestStatus, number>>;
  /** Targets the ledger's `needs_review` requests hold for a person's decision; absent when none. */
  held?: { conversations: number; visitors: number };
  /** The whole ledger's counts once the run ended, earlier runs' requests and targets included. */
  ledger: LedgerCounts;
}

// Requests in flight per call slot: enough to keep every slot busy while bounding memory.
const REQUESTS_PER_SLOT = 4;
const DEFAULT_STOP_GRACE_MS = 10_000;
const REORDER_BATCH = 10_000;
const CIRCUIT_OPEN = 'CIRCUIT_OPEN';
const OUTCOME_OF_STOP: Record<string, Outcome> = { SIGINT: 'interrupted', SIGTERM: 'terminated', [CIRCUIT_OPEN]: 'failed_targets' };

/** `iadvize-erasure run`: request files → resolution → anonymization → ledger and report. */
export async function runErasure(options: RunOptions, dependencies: RunDependencies): Promise<RunResult> {
  const runId = randomUUID();
  // before the first call: an output that cannot be written fails now, not after the mutations
  await checkOutputPaths([options.ledgerPath, options.reportPath]);
  const lock = await acquireRunLock(options.ledgerPath, runId);
  try {
    return await runLocked(options, dependencies, runId);
  } finally {
    await lock.release();
  }
}

async function runLocked(options: RunOptions, dependencies: RunDependencies, runId: string): Promise<RunResult> {
  const { client, logger } = dependencies;
  const previous = await readLedger(options.ledgerPath);
  if (previous.corruptLines.length > 0) logger.warn({ lines: previous.corruptLines }, 'ledger lines that could not be read were skipped (a crash leaves one torn line)');
  if (options.forceLedger !== true) checkLedgerBelongs(options.ledgerPath, previous.runs, { endpoint: options.endpoint, projectIds: options.projectIds });
  const digestKey = await loadDigestKey(dependencies.piiKey, options.digestKeyFile ?? digestKeyPath(options.ledgerPath));
  const { source } = options;
  const plan = source.kind === 'plan' ? source : undefined;
  const inputs = source.kind === 'plan' ? source.plan.inputs : await Promise.all(source.files.map(async (file) => ({ file, sha256: await sha256OfFile(file) })));
  const approved = options.approve ?? new Set<string>();
  const idBases = requestIdBases(inputs.map((input) => input.file));

  const writer = await openLedgerWriter(options.ledgerPath);
  const record = (event: LedgerEvent) => writer.append(event);
  await record({
    type: 'run',
    runId,
    startedAt: new Date().toISOString(),
    version: dependencies.version,
    inputs: inputs.map((input) => {
      const idBase = idBases.get(input.file);
      return idBase !== undefined && idBase !== basename(input.file) ? { ...input, idBase } : input;
    }),
    options: {
      concurrency: options.concurrency,
      projectIds: options.projectIds,
      maxVisitorsPerRequest: options.maxVisitorsPerRequest,
      defaultCountry: options.defaultCountry ?? null,
      // verify reads the files again as this run read them
      encoding: options.encoding ?? null,
      dateOrder: options.dateOrder ?? DEFAULT_DATE_ORDER,
      interval: options.interval,
      dryRun: options.dryRun,
      shard: options.shard === undefined ? null : formatShard(options.shard),
    },
    ...(plan !== undefined ? { plan: { file: plan.path, sha256: plan.sha256, planId: plan.plan.planId } } : {}),
    ...(approved.size > 0 ? { approved: [...approved] } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    digestKeyId: digestKey.keyId,
  });
  logger.info({ runId, inputs: inputs.length, previousEvents: previous.events, dryRun: options.dryRun }, 'run started');

  const registry = new TargetRegistry(runId, record, previous.targets);
  const context = {
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
    approved,
    recordResolution: record,
    digestKey: digestKey.key,
    links: new PersonLinks(previous.personDigests, (requestId) => registry.targetsOf(requestId)),
    ...(dependencies.piiKey !== undefined ? { piiKey: dependencies.piiKey } : {}),
    ...(dependencies.observer !== undefined ? { onResolved: dependencies.observer.resolved.bind(dependencies.observer) } : {}),
  };
  const statuses = new Map<string, RequestStatus>();
  const identities = new RequestIdentities(previous, digestKey.keyId, options.projectIds);
  const sha256ByFile = new Map(inputs.map((input) => [input.file, input.sha256]));
  const stopProgress = startProgressLine(() => ({ requestsResolved: statuses.size, ...countsOf(registry.progress) }));

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
      for (const problem of rejected.problems) logger.warn({ requestId, file: rejected.source.file, line: problem.line, reason: problem.reason }, 'row rejected');
      const event = rejectedEvent(rejected, runId);
      return finish({ ...event, ...fileRequestId, ...(note !== undefined ? { reason: `${note}; ${event.reason}` } : {}) });
    }
    statuses.set(requestId, 'planned');
    try {
      if (work.kind === 'planned') return await finish(await applyPlannedRequest(work.entry, context));
      const identity = { ...(digest !== undefined ? { contentDigest: digest } : {}), ...fileRequestId, ...(note !== undefined ? { note } : {}) };
      await finish(await processRequest({ ...work.request, requestId }, context, identity));
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
    const decision = identities.decide({ requestId, source, discriminator, ...(digest !== undefined ? { digest } : {}), ...(sourceSha256 !== undefined ? { sourceSha256 } : {}) }, supersede);
    return { decision, ...(digest !== undefined ? { digest } : {}) };
  }

  async function finish(event: RequestEvent): Promise<void> {
    statuses.set(event.requestId, event.status);
    await record(event);
    dependencies.observer?.finished(event);
    logger.info({ requestId: event.requestId, status: event.status, conversations: event.conversations, visitors: event.visitors }, 'request finished');
  }

  let fatal: unknown;
  let stoppedBy: string | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const onStop = () => {
    stoppedBy = String(dependencies.stop?.reason ?? 'SIGTERM');
    logger.warn({ signal: stoppedBy }, 'stopping: no new work; calls in flight may finish, then the ledger is flushed');
    client.stop('STOPPED');
    graceTimer = setTimeout(() => client.abortInFlight(), dependencies.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
  };
  if (dependencies.stop?.aborted) onStop();
  else dependencies.stop?.addEventListener('abort', onStop, { once: true });

  try {
    const active = new Set<Promise<void>>();
    const window = Math.max(1, options.concurrency * REQUESTS_PER_SLOT);
    const halted = () => fatal !== undefined || stoppedBy !== undefined;
    /** Starts one outcome's work once a place frees up in the window; false when the run is halting. */
    const dispatch = async (work: Work): Promise<boolean> => {
      while (active.size >= window) await Promise.race(active);
      if (halted()) return false;
      const task: Promise<void> = handle(work)
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.code === CIRCUIT_OPEN && stoppedBy === undefined) {
            stoppedBy = CIRCUIT_OPEN;
            logger.error({ reason: client.circuit.reason }, 'circuit open: the run stops sending; the ledger is flushed');
          }
          // A request cut short by the stop is not recorded: the next run takes it up again.
          if (stoppedBy !== undefined && endsTheRun(error)) return;
          fatal ??= error;
        })
        .finally(() => active.delete(task));
      active.add(task);
      return true;
    };
    // Requests read but not started, started oldest received first (GDPR deadlines) in batches
    // that bound memory: any file of up to REORDER_BATCH requests is fully in order.
    const pending: PersonRequest[] = [];
    const startPending = async (): Promise<boolean> => {
      for (const request of pending.splice(0).sort(oldestReceivedFirst)) {
        if (!(await dispatch({ kind: 'request', request }))) return false;
      }
      return true;
    };

    for await (const work of workOf(options, inputs, idBases, logger)) {
      if (halted()) break;
      if (options.shard !== undefined && !inShard(requestIdOf(work), options.shard)) continue;
      if (work.kind === 'request') {
        pending.push(work.request);
        if (pending.length >= REORDER_BATCH && !(await startPending())) break;
      } else if (!(await dispatch(work))) break;
    }
    if (!halted()) await startPending();
    await Promise.all(active);
  } finally {
    stopProgress();
    clearTimeout(graceTimer);
    dependencies.stop?.removeEventListener('abort', onStop);
  }

  const state = await readLedger(options.ledgerPath);
  if (fatal === undefined && !options.dryRun) {
    for (const event of settledByTargets(state, runId)) {
      await record(event);
      state.requests.set(event.requestId, event);
      if (statuses.has(event.requestId)) statuses.set(event.requestId, event.status);
    }
  }
  const counts = summarize(state);
  const outcome: Outcome =
    fatal !== undefined ? 'fatal' : stoppedBy !== undefined ? (OUTCOME_OF_STOP[stoppedBy] ?? 'terminated') : outcomeOfStatuses(statuses.values());
  const exitCode = dependencies.exitCodeOf(outcome);
  await record({ type: 'summary', runId, finishedAt: new Date().toISOString(), ...counts, exitCode });
  await writer.close();
  await writeReport(options.reportPath, state);
  if (fatal !== undefined) throw fatal;

  const requests: Partial<Record<RequestStatus, number>> = {};
  for (const status of statuses.values()) requests[status] = (requests[status] ?? 0) + 1;
  const unusedApprovals = [...approved].filter((requestId) => !statuses.has(requestId));
  if (unusedApprovals.length > 0) logger.warn({ requestIds: unusedApprovals }, '--approve named requests this run did not see');
  logger.info({ runId, requests, targets: counts.targets, held: counts.held, exitCode, ...client.stats }, 'run finished');
  return {
    runId,
    inputs,
    outcome,
    exitCode,
    requests,
    ledger: counts,
    ...(counts.held !== undefined ? { held: counts.held } : {}),
    ...(stoppedBy === CIRCUIT_OPEN ? { stoppedBecause: client.circuit.reason } : {}),
  };
}

type Work = ReadOutcome | { kind: 'planned'; entry: PlannedRequest };

/** The run's work: the plan's requests as planned (apply), or the requests read from the files. */
async function* workOf(options: RunOptions, inputs: readonly { file: string; sha256: string }[], idBases: ReadonlyMap<string, string>, logger: Logger): AsyncIterable<Work> {
  if (options.source.kind === 'plan') {
    for (const entry of options.source.plan.requests) yield { kind: 'planned', entry };
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
      onWarning: ({ message, ...where }) => logger.warn(where, message),
      onUnknownColumns: (name: string, columns: string[]) => logger.warn({ file: name, columns }, 'unknown columns ignored'),
    })) {
      outcomes += 1;
      yield outcome;
    }
    if (outcomes === 0) logger.warn({ file }, 'the file holds no request: it is empty or has a header only');
  }
}

function requestIdOf(work: Work): string {
  return work.kind === 'request' ? work.request.requestId : work.kind === 'rejected' ? work.rejected.requestId : work.entry.requestId;
}

/** Unknown receipt dates first: nothing shows they are not overdue. Stable: file order among equals. */
function oldestReceivedFirst(a: PersonRequest, b: PersonRequest): number {
  if (a.receivedAt === b.receivedAt) return 0;
  if (a.receivedAt === undefined) return -1;
  if (b.receivedAt === undefined) return 1;
  return a.receivedAt < b.receivedAt ? -1 : 1;
}

function countsOf(progress: { total: number; done: number }) {
  return { targetsDone: progress.done, targetsTotal: progress.total };
}
