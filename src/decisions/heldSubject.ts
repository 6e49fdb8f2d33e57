import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { targetKey, type RequestEvent, type ResolutionEvent, type RunEvent, type TargetStatus } from '../ledger/ledgerEvents.js';
import { readLedger, type LedgerState } from '../ledger/readLedger.js';
import { readResolutions } from '../ledger/readResolutions.js';
import { deadlineOf } from '../ledger/requestDeadline.js';
import type { JudgedTarget } from '../ledger/targetEvidence.js';
import type { Plan } from '../plan/plan.js';
import { plannedTargets } from '../plan/plannedTargets.js';
import { readPlan } from '../plan/readPlan.js';
import type { RequestSource } from '../requests/personRequest.js';
import type { DateOrder } from '../requests/receivedAtInstant.js';
import type { TextEncoding } from '../requests/textEncoding.js';
import { inputOfSource } from '../verify/inputOfSource.js';
import { recordedCountry, recordedDateOrder, recordedEncoding, recordedSheet } from '../verify/recordedOptions.js';
import { inputsOf, locateInputs } from '../verify/locateInputs.js';
import { DecisionsError } from './decisionsError.js';

export { decisionsPathFor } from './decisionsPath.js';

/** How a request's file was read, and searched: a reviewer sees it, and apply decides it, as the run did. */
export interface ReadOptions {
  projectIds: number[];
  interval: { from: string; to: string };
  maxVisitorsPerRequest: number;
  defaultCountry?: CountryCode;
  encoding?: TextEncoding;
  dateOrder?: DateOrder;
  sheet?: string;
}

/** A request waiting for a person's decision, with every target it reached (the held ones have `held`). */
export interface HeldRequest {
  requestId: string;
  source: RequestSource;
  receivedAt?: string;
  receivedAtUnreadable?: true;
  /** One month after receipt; absent when unknown. */
  deadline?: string;
  reason?: string;
  targets: JudgedTarget[];
  /** A ledger's request: the run whose resolution is reviewed, and what the ledger said of it. */
  resolvedIn?: string;
  earlier?: { request: RequestEvent; resolution: ResolutionEvent };
  /** A ledger's request: what the ledger says of each target sent so far, by targetKey (a held one may be erased already, for another request). */
  targetStatuses?: Record<string, TargetStatus>;
  /** The run's options for this request (a ledger's runs may differ). */
  options: ReadOptions;
  /** The request's input file as the run read it, found by its SHA-256 (at its path, or beside the plan or ledger). */
  input: { file: string; sha256: string } | { problem: string };
}

/** A plan or a ledger, and its requests held for review. */
export interface HeldSubject {
  kind: 'plan' | 'ledger';
  /** Absolute. */
  path: string;
  planId?: string;
  sha256?: string;
  /** The plan's options, or those of the ledger's latest run. */
  options: ReadOptions;
  /** The inputs the held requests were read from, as their runs recorded them. */
  inputs: { file: string; sha256: string }[];
  /** Most urgent deadline first; those without a known deadline last. */
  requests: HeldRequest[];
  /** Held requests of a ledger whose resolution the ledger does not hold (an older version's): decided by `run --approve`, which resolves them again. */
  withoutResolution: string[];
}

/** Reads a plan (JSON with the plan format) or a ledger (JSON Lines) and what it holds for review. */
export async function readHeldSubject(path: string): Promise<HeldSubject> {
  const absolute = resolve(path);
  const subject = (await subjectKindOf(absolute)) === 'ledger' ? await heldInLedger(absolute) : await heldInPlan(absolute, await readPlan(absolute));
  subject.requests.sort(byDeadline);
  return subject;
}

/** A ledger's lines are events, each with its type first; a plan is one JSON object with its format. */
export async function subjectKindOf(path: string): Promise<HeldSubject['kind']> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new DecisionsError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const start = Buffer.alloc(LEDGER_START.length);
    await handle.read(start, 0, start.length, 0);
    return start.toString('utf8') === LEDGER_START ? 'ledger' : 'plan';
  } finally {
    await handle.close();
  }
}

const LEDGER_START = '{"type":';

async function heldInPlan(path: string, { plan, text }: { plan: Plan; text: string }): Promise<HeldSubject> {
  const options = readOptionsOf(plan.options);
  // a plan's inputs are looked for at their path, else beside the plan
  const located = await locateInputs([{ inputs: plan.inputs } as RunEvent], undefined, path);
  const requests = plan.requests
    .filter((entry) => entry.status === 'needs_review')
    .map((entry): HeldRequest => ({
      ...heldFields(entry),
      targets: plannedTargets(entry),
      options,
      input: inputOf(plan.inputs, entry.source.file, located),
    }));
  return {
    kind: 'plan',
    path,
    planId: plan.planId,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    options,
    inputs: plan.inputs,
    requests,
    withoutResolution: [],
  };
}

async function heldInLedger(path: string): Promise<HeldSubject> {
  const state = await readLedger(path);
  if (state.runs.length === 0) throw new DecisionsError(`${path} is neither a plan nor a ledger with a run`);
  const runs = new Map(state.runs.map((run) => [run.runId, run]));
  const held = [...state.requests.values()].filter((request) => request.status === 'needs_review');
  const resolutions = await readResolutions(path, new Map(held.map((request) => [request.requestId, request.runId])));
  const located = await locateInputs(state.runs, undefined, path);
  const requests: HeldRequest[] = [];
  const withoutResolution: string[] = [];
  for (const request of held) {
    const run = runs.get(request.runId);
    const resolution = resolutions.get(request.requestId);
    if (run === undefined || resolution === undefined) {
      withoutResolution.push(request.requestId);
      continue;
    }
    const inputs = inputsOf(run);
    requests.push({
      ...heldFields(request),
      targets: resolution.targets,
      targetStatuses: statusesOf(resolution.targets, state.targets),
      resolvedIn: request.runId,
      earlier: { request, resolution },
      options: readOptionsOf(run.options),
      input: inputOf(inputs, request.source.file, located),
    });
  }
  const latest = state.runs[state.runs.length - 1]!;
  const inputs = [...new Map(state.runs.flatMap((run) => inputsOf(run)).map((input) => [input.sha256, input])).values()];
  return { kind: 'ledger', path, options: readOptionsOf(latest.options), inputs, requests, withoutResolution };
}

function statusesOf(targets: readonly JudgedTarget[], table: LedgerState['targets']): Record<string, TargetStatus> {
  const statuses: Record<string, TargetStatus> = {};
  for (const target of targets) {
    const event = table.get(target.kind, target.id);
    if (event !== undefined) statuses[targetKey(target.kind, target.id)] = event.status;
  }
  return statuses;
}

function heldFields(request: Pick<RequestEvent, 'requestId' | 'source' | 'receivedAt' | 'receivedAtUnreadable' | 'reason'>) {
  return {
    requestId: request.requestId,
    source: request.source,
    ...(request.receivedAt !== undefined ? { receivedAt: request.receivedAt, deadline: deadlineOf(request.receivedAt).toISOString() } : {}),
    ...(request.receivedAtUnreadable === true ? { receivedAtUnreadable: true as const } : {}),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
  };
}

function inputOf(
  inputs: RunEvent['inputs'],
  sourceFile: string,
  located: { bySha256: Map<string, string>; problems: Map<string, string> },
): HeldRequest['input'] {
  const found = inputOfSource(inputs, sourceFile);
  if (!('input' in found))
    return { problem: found.problem === 'ambiguous' ? 'its run read several files of that name' : 'its run recorded no input file of that name' };
  const file = located.bySha256.get(found.input.sha256);
  if (file === undefined) return { problem: located.problems.get(found.input.file) ?? 'input file not found' };
  return { file, sha256: found.input.sha256 };
}

/** A run event's or a plan's options, tolerating an older or hand-edited one. */
function readOptionsOf(options: Record<string, unknown>): ReadOptions {
  const { projectIds, interval, maxVisitorsPerRequest } = options;
  // an option this version cannot use is left out, as if the run had recorded none
  const defaultCountry = recordedCountry(options.defaultCountry) ?? undefined;
  const encoding = recordedEncoding(options.encoding) ?? undefined;
  const dateOrder = recordedDateOrder(options.dateOrder) ?? undefined;
  const sheet = recordedSheet(options.sheet) ?? undefined;
  return {
    projectIds: Array.isArray(projectIds) ? projectIds.filter((id): id is number => typeof id === 'number') : [],
    interval: isInterval(interval) ? interval : { from: new Date(0).toISOString(), to: new Date().toISOString() },
    maxVisitorsPerRequest: typeof maxVisitorsPerRequest === 'number' ? maxVisitorsPerRequest : 0,
    ...(defaultCountry !== undefined ? { defaultCountry } : {}),
    ...(encoding !== undefined ? { encoding } : {}),
    ...(dateOrder !== undefined ? { dateOrder } : {}),
    ...(sheet !== undefined ? { sheet } : {}),
  };
}

function isInterval(value: unknown): value is { from: string; to: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { from?: unknown }).from === 'string' && typeof (value as { to?: unknown }).to === 'string'
  );
}

function byDeadline(a: HeldRequest, b: HeldRequest): number {
  if (a.deadline !== b.deadline) {
    if (a.deadline === undefined) return 1;
    if (b.deadline === undefined) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  }
  return a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line;
}
