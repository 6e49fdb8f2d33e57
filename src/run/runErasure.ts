import { randomUUID } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { ApiError, endsTheRun } from '../api/apiError.js';
import type { ClientStats, IadvizeClient } from '../api/iadvizeClient.js';
import { TargetRegistry } from '../anonymize/targetRegistry.js';
import type { RequestEvent, RequestStatus, TargetEvent, TargetStatus } from '../ledger/ledgerEvents.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import type { LedgerState } from '../ledger/readLedger.js';
import { summarize, type LedgerCounts } from '../ledger/summarizeLedger.js';
import { writeReport } from '../ledger/writeReport.js';
import { acquireRunLock } from '../lock/runLock.js';
import type { Logger } from '../logging/createLogger.js';
import type { ExitCodeOf, Outcome } from '../outcome/outcome.js';
import type { EarlierResolution } from '../plan/applyPlannedRequest.js';
import type { Plan, PlannedRequest } from '../plan/plan.js';
import type { HeldDecision } from '../anonymize/eraseTargets.js';
import type { DateOrder } from '../requests/receivedAtInstant.js';
import type { TextEncoding } from '../requests/textEncoding.js';
import type { Resolution } from '../resolve/evidence.js';
import { dispatchWork } from './dispatchWork.js';
import { workHandler } from './handleWork.js';
import { outcomeOfStatuses } from './outcomeOfStatuses.js';
import type { Preflight } from './preflight.js';
import { startStderrProgress } from './progressLine.js';
import { RequestTotal } from './requestTotal.js';
import { RunStop } from './runStop.js';
import { workOf, type Work } from './runWork.js';
import { settledByTargets } from './settledByTargets.js';
import type { Shard } from './shard.js';
import { startRun, type StartedRun } from './startRun.js';

/**
 * What a run works on: the requests read from these files, a plan's requests as planned (apply),
 * or the held requests of the ledger itself, as an earlier run resolved them (apply <ledger>).
 */
export type WorkSource =
  | { kind: 'files'; files: string[] }
  | { kind: 'plan'; path: string; sha256: string; plan: Plan }
  | { kind: 'held'; inputs: { file: string; sha256: string }[]; requests: HeldWork[] };

/** A held request of the ledger, to be decided: as planned, with what the ledger said of it. */
export interface HeldWork {
  entry: PlannedRequest;
  earlier: EarlierResolution;
}

export interface RunOptions {
  source: WorkSource;
  ledgerPath: string;
  reportPath: string;
  /** Calls in flight at most (docs/design.md#anonymization: default 4). */
  concurrency: number;
  projectIds: number[];
  maxVisitorsPerRequest: number;
  defaultCountry?: CountryCode;
  /** `--encoding`: the request files' encoding; unset, each file's is detected. */
  encoding?: TextEncoding;
  /** `--date-order`: how received_at dates with the year last are read (default dmy). */
  dateOrder?: DateOrder;
  /** `--sheet`: the sheet of the .xlsx request files to read; unset, each one's first. */
  sheet?: string;
  interval: { from: string; to: string };
  dryRun: boolean;
  /** `--approve`: held (needs_review) requests a person has reviewed and released. */
  approve?: ReadonlySet<string>;
  /** Who approved or decided (`--reviewer`): recorded on the events of the requests decided. */
  reviewer?: string;
  /** `--decisions`: a reviewer's decision on each held target of these requests (decisions/), and the file's path and SHA-256. */
  decisions?: { file: string; sha256: string; byRequest: ReadonlyMap<string, HeldDecision> };
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
  /** The API checked before the ledger records the run (preflight.ts); none, when the caller checked already or a test needs none. */
  preflight?: Preflight;
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
  /** The targets this run recorded, by the latest status it gave each (`planned` in a dry run). */
  targets: Partial<Record<TargetStatus, number>>;
  /** Where this run's rejected requests are in their files, in file order; the first REJECTED_ROWS_KEPT only (`requests.rejected` counts them all). */
  rejectedRows: { file: string; line: number }[];
  /** The client's counts for this run: calls, retries, 429s. */
  api: ClientStats;
  durationMs: number;
}

/** Enough rows to tell a person where to start; the report lists every rejected request. */
export const REJECTED_ROWS_KEPT = 20;

// Requests in flight per call slot: enough to keep every slot busy while bounding memory.
const REQUESTS_PER_SLOT = 4;
const DEFAULT_STOP_GRACE_MS = 10_000;
const CIRCUIT_OPEN = 'CIRCUIT_OPEN';
const OUTCOME_OF_STOP: Record<string, Outcome> = { SIGINT: 'interrupted', SIGTERM: 'terminated', [CIRCUIT_OPEN]: 'failed_targets' };

/** `iadvize-erasure run`: request files → resolution → anonymization → ledger and report. */
export async function runErasure(options: RunOptions, dependencies: RunDependencies): Promise<RunResult> {
  const runId = randomUUID();
  const startedAtMs = Date.now();
  // before the first call: an output that cannot be written fails now, not after the mutations
  await checkOutputPaths([options.ledgerPath, options.reportPath]);
  const lock = await acquireRunLock(options.ledgerPath, runId);
  try {
    return await runLocked(options, dependencies, runId, startedAtMs);
  } finally {
    await lock.release();
  }
}

async function runLocked(options: RunOptions, dependencies: RunDependencies, runId: string, startedAtMs: number): Promise<RunResult> {
  const { client, logger } = dependencies;
  const run = await startRun(options, dependencies, runId);
  const registry = new TargetRegistry(runId, run.record, run.previous.targets);
  const statuses = new Map<string, RequestStatus>();
  const handle = workHandler({
    runId,
    options,
    run,
    client,
    logger,
    registry,
    statuses,
    ...(dependencies.piiKey !== undefined ? { piiKey: dependencies.piiKey } : {}),
    ...(dependencies.observer !== undefined ? { observer: dependencies.observer } : {}),
  });
  const total = new RequestTotal(options.source, options.shard !== undefined);
  let resolved = 0;
  const stopProgress = startStderrProgress(() => ({ requestsResolved: resolved, requestsTotal: total.value, ...countsOf(registry.progress) }));

  let fatal: unknown;
  const stop = new RunStop(dependencies.stop, client, logger, dependencies.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
  try {
    const handleCounted = (work: Work) => handle(work).then(() => void (resolved += 1));
    await dispatchWork(workOf(options, run.inputs, run.idBases, logger, total.fileCounted), handleCounted, {
      window: Math.max(1, options.concurrency * REQUESTS_PER_SLOT),
      ...(options.shard !== undefined ? { shard: options.shard } : {}),
      halted: () => fatal !== undefined || stop.reason !== undefined,
      onError: (error) => {
        if (error instanceof ApiError && error.code === CIRCUIT_OPEN && stop.reason === undefined) {
          stop.reason = CIRCUIT_OPEN;
          logger.error({ reason: client.circuit.reason }, 'circuit open: the run stops sending; the ledger is flushed');
        }
        // A request cut short by the stop is not recorded: the next run takes it up again.
        if (stop.reason !== undefined && endsTheRun(error)) return;
        fatal ??= error;
      },
    });
  } finally {
    stopProgress();
    stop.dispose();
  }
  return finishRun(options, dependencies, runId, run, { statuses, fatal, stoppedBy: stop.reason, startedAtMs });
}

/**
 * Settles the failed requests whose targets are now all done, records the summary, writes the
 * report, and says how the run ended; rethrows a fatal error once the ledger and report are out.
 */
async function finishRun(
  options: RunOptions,
  dependencies: RunDependencies,
  runId: string,
  run: StartedRun,
  end: { statuses: Map<string, RequestStatus>; fatal: unknown; stoppedBy: string | undefined; startedAtMs: number },
): Promise<RunResult> {
  const { client, logger } = dependencies;
  const { statuses, fatal, stoppedBy, startedAtMs } = end;
  const state = ledgerAtEnd(run);
  if (fatal === undefined && !options.dryRun) {
    for (const event of settledByTargets(state, runId)) {
      await run.record(event);
      state.requests.set(event.requestId, event);
      if (statuses.has(event.requestId)) statuses.set(event.requestId, event.status);
    }
  }
  const counts = summarize(state);
  const outcome: Outcome =
    fatal !== undefined ? 'fatal' : stoppedBy !== undefined ? (OUTCOME_OF_STOP[stoppedBy] ?? 'terminated') : outcomeOfStatuses(statuses.values());
  const exitCode = dependencies.exitCodeOf(outcome);
  await run.record({ type: 'summary', runId, finishedAt: new Date().toISOString(), ...counts, exitCode });
  await run.writer.close();
  await writeReport(options.reportPath, state);
  if (fatal !== undefined) throw fatal;

  const requests: Partial<Record<RequestStatus, number>> = {};
  for (const status of statuses.values()) requests[status] = (requests[status] ?? 0) + 1;
  const unusedApprovals = [...run.approved].filter((requestId) => !statuses.has(requestId));
  if (unusedApprovals.length > 0) logger.warn({ requestIds: unusedApprovals }, '--approve named requests this run did not see');
  logger.info({ runId, requests, targets: counts.targets, held: counts.held, exitCode, ...client.stats }, 'run finished');
  return {
    runId,
    inputs: run.inputs,
    outcome,
    exitCode,
    requests,
    ledger: counts,
    targets: targetCountsOf(run.recorded.targets.values()),
    rejectedRows: rejectedRowsOf(statuses, state),
    api: { ...client.stats },
    durationMs: Date.now() - startedAtMs,
    ...(counts.held !== undefined ? { held: counts.held } : {}),
    ...(stoppedBy === CIRCUIT_OPEN ? { stoppedBecause: client.circuit.reason } : {}),
  };
}

/**
 * What replaying the ledger now would give of its requests and targets: the earlier runs' state
 * with this run's latest events put over it, in the order they were written. The ledger is read
 * once per run, when it starts.
 */
function ledgerAtEnd(run: StartedRun): Pick<LedgerState, 'requests' | 'targets'> {
  const { previous, recorded } = run;
  for (const event of recorded.targets.values()) previous.targets.put(event);
  for (const [requestId, event] of recorded.requests) previous.requests.set(requestId, event);
  return previous;
}

function targetCountsOf(events: Iterable<TargetEvent>): Partial<Record<TargetStatus, number>> {
  const counts: Partial<Record<TargetStatus, number>> = {};
  for (const { status } of events) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** From the ledger, so a rejected request an earlier run recorded and this one skipped is found too. */
function rejectedRowsOf(statuses: ReadonlyMap<string, RequestStatus>, state: Pick<LedgerState, 'requests'>): RunResult['rejectedRows'] {
  const rows: RunResult['rejectedRows'] = [];
  for (const [requestId, status] of statuses) {
    const source = status === 'rejected' ? state.requests.get(requestId)?.source : undefined;
    if (source !== undefined) rows.push({ file: source.file, line: source.line });
  }
  rows.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return rows.slice(0, REJECTED_ROWS_KEPT);
}

function countsOf(progress: { total: number; done: number }) {
  return { targetsDone: progress.done, targetsFound: progress.total };
}
