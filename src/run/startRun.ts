import { basename } from 'node:path';
import { targetKey, type LedgerEvent, type RequestEvent, type TargetEvent } from '../ledger/ledgerEvents.js';
import { digestKeyPath, loadDigestKey, type DigestKey } from '../ledger/digestKey.js';
import { openLedgerWriter, type LedgerWriter } from '../ledger/ledgerWriter.js';
import { readLedger, type LedgerState } from '../ledger/readLedger.js';
import type { Logger } from '../logging/createLogger.js';
import { DEFAULT_DATE_ORDER } from '../requests/receivedAtInstant.js';
import { sha256OfFile } from '../requests/readRequests.js';
import { checkLedgerBelongs } from './ledgerMismatch.js';
import { requestIdBases } from './requestIdBases.js';
import type { RunOptions } from './runErasure.js';
import { formatShard } from './shard.js';
import type { HeldDecision } from '../anonymize/eraseTargets.js';
import type { Preflight } from './preflight.js';

/** Recorded when a command gave no reviewer: the commands always give one (--reviewer, else the account's user name). */
const UNKNOWN_REVIEWER = 'unknown';

/** A run once its ledger is replayed and its run event recorded. */
export interface StartedRun {
  /** The ledger as earlier runs left it. */
  previous: LedgerState;
  digestKey: DigestKey;
  /** The input files and their SHA-256, taken before reading them. */
  inputs: { file: string; sha256: string }[];
  idBases: ReadonlyMap<string, string>;
  writer: LedgerWriter;
  /** Appends the event to the ledger; once it is written, keeps it in `recorded`. */
  record: (event: LedgerEvent) => Promise<void>;
  /** The latest event this run wrote per target and per request, in the order first written: the ledger's end without a replay. */
  recorded: { targets: Map<string, TargetEvent>; requests: Map<string, RequestEvent> };
  approved: ReadonlySet<string>;
  /** A person's decision on a request's held targets: `--approve`'s, or the decisions file's. */
  decisionFor: (requestId: string) => HeldDecision | undefined;
}

/** Replays the ledger, checks it belongs to this endpoint and account, hashes the inputs and records the run event. */
export async function startRun(
  options: RunOptions,
  dependencies: { logger: Logger; version: string; piiKey?: string; preflight?: Preflight },
  runId: string,
): Promise<StartedRun> {
  const { logger } = dependencies;
  const previous = await readLedger(options.ledgerPath);
  if (previous.corruptLines.length > 0)
    logger.warn({ lines: previous.corruptLines }, 'ledger lines that could not be read were skipped (a crash leaves one torn line)');
  if (options.forceLedger !== true) checkLedgerBelongs(options.ledgerPath, previous.runs, { endpoint: options.endpoint, projectIds: options.projectIds });
  const { source } = options;
  const plan = source.kind === 'plan' ? source : undefined;
  const inputs =
    source.kind === 'plan'
      ? source.plan.inputs
      : source.kind === 'held'
        ? source.inputs
        : await Promise.all(source.files.map(async (file) => ({ file, sha256: await sha256OfFile(file) })));
  const approved = options.approve ?? new Set<string>();
  const startedAt = new Date().toISOString();
  const reviewer = options.reviewer ?? UNKNOWN_REVIEWER;
  const decisionFor = (requestId: string): HeldDecision | undefined =>
    options.decisions?.byRequest.get(requestId) ?? (approved.has(requestId) ? { by: reviewer, at: startedAt, approved: true } : undefined);
  const idBases = requestIdBases(inputs.map((input) => input.file));
  // After the local checks, before the ledger records a run: a configuration the API refuses leaves no trace.
  await dependencies.preflight?.(options.projectIds);
  const digestKey = await loadDigestKey(dependencies.piiKey, options.digestKeyFile ?? digestKeyPath(options.ledgerPath));

  const writer = await openLedgerWriter(options.ledgerPath);
  const recorded: StartedRun['recorded'] = { targets: new Map(), requests: new Map() };
  // kept once written, in the order the writer resolves them: the order of the lines in the file
  const record = (event: LedgerEvent) =>
    writer.append(event).then(() => {
      if (event.type === 'target') recorded.targets.set(targetKey(event.kind, event.id), event);
      else if (event.type === 'request') recorded.requests.set(event.requestId, event);
    });
  await record({
    type: 'run',
    runId,
    startedAt,
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
      sheet: options.sheet ?? null,
      interval: options.interval,
      dryRun: options.dryRun,
      shard: options.shard === undefined ? null : formatShard(options.shard),
    },
    ...(plan !== undefined ? { plan: { file: plan.path, sha256: plan.sha256, planId: plan.plan.planId } } : {}),
    ...(approved.size > 0 ? { approved: [...approved], approvedBy: reviewer } : {}),
    ...(options.decisions !== undefined ? { decisions: { file: options.decisions.file, sha256: options.decisions.sha256 } } : {}),
    ...(source.kind === 'held' ? { heldIn: options.ledgerPath } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    digestKeyId: digestKey.keyId,
  });
  logger.info({ runId, inputs: inputs.length, previousEvents: previous.events, dryRun: options.dryRun }, 'run started');
  return { previous, digestKey, inputs, idBases, writer, record, recorded, approved, decisionFor };
}
