import { spreadsheetSafe } from '../files/csvCell.js';
import type { HeldCounts, RequestStatus, TargetStatus } from '../ledger/ledgerEvents.js';
import type { LedgerState } from '../ledger/ledgerState.js';
import type { DeadlineFlag } from '../ledger/requestDeadline.js';
import { reportRows } from '../ledger/writeReport.js';
import type { ReadBackRow, RowsByRequest, VerifyRow } from './readVerifyReports.js';
import type { ResolutionCounts } from './resolutionCounts.js';
import { byUrgency, concernsOf, type Concern } from './urgency.js';

/** Everything the evidence report is made from: read by collectEvidence, or built by a test. */
export interface EvidenceInput {
  ledger: { path: string; sha256: string };
  state: Pick<LedgerState, 'requests' | 'targets' | 'runs' | 'summaries' | 'corruptLines' | 'events'>;
  resolutions: ReadonlyMap<string, ResolutionCounts>;
  verifyReport?: { path: string; rows: RowsByRequest<VerifyRow> };
  readBackReport?: { path: string; rows: RowsByRequest<ReadBackRow> };
  nowMs: number;
}

/** A run of the ledger, as its run and summary events say. */
export interface RunOverview {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  version: string;
  /** `run`, `dry run`, `apply plan`, `apply decisions`. */
  mode: string;
  exitCode?: number;
}

/** What a verify report given says, and how much of it is about this ledger. */
export interface ReportFileOverview {
  path: string;
  rows: number;
  /** Rows naming no request of this ledger: a report of another ledger, or of requests since removed. */
  unmatched: number;
}

/** One request: ids, statuses, dates, counts, and the reviewer's name and words. No personal data of the person erased. */
export interface RequestEvidence {
  requestId: string;
  status: RequestStatus;
  /** Why it is rejected, failed or held, as the ledger words it (never a value of the request). */
  reason: string;
  receivedAt: string;
  /** ISO, `unknown`, or empty without received_at. */
  deadline: string;
  deadlineFlag: DeadlineFlag;
  /** Every target reached, held ones included. */
  conversations: number;
  visitors: number;
  targets: Record<Exclude<TargetStatus, 'planned'>, number>;
  /** Its latest resolution, as counts; absent for a request never resolved (rejected, or from before resolution events). */
  resolution?: ResolutionCounts;
  /** Waiting for a person's decision (needs_review only). */
  held?: HeldCounts;
  /** Held targets a person decided to keep. */
  kept?: { conversations: number; visitors: number };
  decidedBy?: string;
  decidedAt?: string;
  /** Released whole with --approve. */
  approved: boolean;
  verify?: VerifyRow;
  readBack?: ReadBackRow;
  /** Why a person must look at it now, most pressing first; empty when nothing calls for it. */
  concerns: Concern[];
}

export interface EvidenceTotals {
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  held: number;
  kept: number;
  overdue: number;
  dueSoon: number;
  needingAPerson: number;
  verify?: Record<string, number>;
  readBack?: ReadBackRow;
}

/** The evidence report's content, whatever its format. */
export interface EvidenceReport {
  generatedAt: string;
  ledger: { path: string; sha256: string; events: number; corruptLines: number };
  runs: RunOverview[];
  verifyReport?: ReportFileOverview;
  readBackReport?: ReportFileOverview;
  totals: EvidenceTotals;
  /** Most urgent first (urgency.ts). */
  requests: RequestEvidence[];
}

export function evidenceSummary(input: EvidenceInput): EvidenceReport {
  const { state, resolutions, nowMs } = input;
  const approvals = approvalsByRequest(state.runs);
  const verifyLookup = lookupOf(input.verifyReport?.rows);
  const readBackLookup = lookupOf(input.readBackReport?.rows);
  const requests = reportRows(state, nowMs).map((row): RequestEvidence => {
    const event = state.requests.get(row.request_id)!;
    const resolution = resolutions.get(row.request_id);
    const approval = event.approved === true || resolution?.approved === true ? approvals.get(row.request_id) : undefined;
    const decidedBy = event.decidedBy ?? resolution?.decidedBy ?? approval?.approvedBy;
    const decidedAt = event.decidedAt ?? resolution?.decidedAt ?? approval?.startedAt;
    const verify = verifyLookup.get(row.request_id);
    const readBack = readBackLookup.get(row.request_id);
    const evidence: RequestEvidence = {
      requestId: row.request_id,
      status: row.status,
      reason: row.reason,
      receivedAt: row.received_at,
      deadline: row.deadline,
      deadlineFlag: row.deadline_flag,
      conversations: countOf(row.conversations),
      visitors: countOf(row.visitors),
      targets: { anonymized: row.anonymized, already_anonymized: row.already_anonymized, failed: row.failed },
      approved: event.approved === true,
      ...(resolution !== undefined ? { resolution } : {}),
      ...(row.status === 'needs_review' && event.held !== undefined ? { held: { ...event.held, ...targetCountsOf(event.held) } } : {}),
      ...(event.kept !== undefined ? { kept: targetCountsOf(event.kept) } : {}),
      ...(decidedBy !== undefined ? { decidedBy } : {}),
      ...(decidedAt !== undefined ? { decidedAt } : {}),
      ...(verify !== undefined ? { verify } : {}),
      ...(readBack !== undefined ? { readBack } : {}),
      concerns: [],
    };
    evidence.concerns = concernsOf(evidence);
    return evidence;
  });
  return {
    generatedAt: new Date(nowMs).toISOString(),
    ledger: { ...input.ledger, events: state.events, corruptLines: state.corruptLines.length },
    runs: runOverviews(state),
    ...(input.verifyReport !== undefined ? { verifyReport: fileOverview(input.verifyReport, verifyLookup.matched) } : {}),
    ...(input.readBackReport !== undefined ? { readBackReport: fileOverview(input.readBackReport, readBackLookup.matched) } : {}),
    totals: totalsOf(requests, state, input.verifyReport !== undefined, input.readBackReport !== undefined),
    requests: [...requests].sort(byUrgency),
  };
}

/**
 * The ledger is JSON read without a schema: a count that is not a number shows as NaN, visibly
 * wrong, and can never carry markup into the page.
 */
function countOf(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function targetCountsOf(counts: { conversations: unknown; visitors: unknown }): { conversations: number; visitors: number } {
  return { conversations: countOf(counts.conversations), visitors: countOf(counts.visitors) };
}

interface Lookup<Row> {
  get(requestId: string): Row | undefined;
  /** How many rows a request of the ledger was looked up by. */
  readonly matched: number;
}

/** A request id is looked for as written, then as a CSV cell holds it (with the `'` that keeps a spreadsheet from running it). */
function lookupOf<Row>(rows: RowsByRequest<Row> | undefined): Lookup<Row> {
  const found = new Set<string>();
  return {
    get(requestId) {
      if (rows === undefined) return undefined;
      for (const key of [requestId, spreadsheetSafe(requestId)]) {
        const row = rows.get(key);
        if (row === undefined) continue;
        found.add(key);
        return row;
      }
      return undefined;
    },
    get matched() {
      return found.size;
    },
  };
}

function fileOverview(report: { path: string; rows: RowsByRequest<unknown> }, matched: number): ReportFileOverview {
  return { path: report.path, rows: report.rows.size, unmatched: report.rows.size - matched };
}

/** The run that released each request with --approve last, and who it says did. */
function approvalsByRequest(runs: EvidenceInput['state']['runs']): Map<string, { approvedBy?: string; startedAt: string }> {
  const approvals = new Map<string, { approvedBy?: string; startedAt: string }>();
  for (const run of runs) {
    for (const requestId of run.approved ?? []) {
      approvals.set(requestId, { startedAt: run.startedAt, ...(run.approvedBy !== undefined ? { approvedBy: run.approvedBy } : {}) });
    }
  }
  return approvals;
}

function runOverviews(state: EvidenceInput['state']): RunOverview[] {
  const summaries = new Map(state.summaries.map((summary) => [summary.runId, summary]));
  return state.runs.map((run) => {
    const summary = summaries.get(run.runId);
    return {
      runId: run.runId,
      startedAt: run.startedAt,
      version: run.version,
      mode: run.decisions !== undefined ? 'apply decisions' : run.plan !== undefined ? 'apply plan' : run.options.dryRun === true ? 'dry run' : 'run',
      ...(summary !== undefined ? { finishedAt: summary.finishedAt, exitCode: countOf(summary.exitCode) } : {}),
    };
  });
}

function totalsOf(requests: readonly RequestEvidence[], state: EvidenceInput['state'], verified: boolean, readBack: boolean): EvidenceTotals {
  const totals: EvidenceTotals = {
    requests: {},
    targets: state.targets.statusCounts(),
    held: 0,
    kept: 0,
    overdue: 0,
    dueSoon: 0,
    needingAPerson: 0,
    ...(verified ? { verify: {} } : {}),
    ...(readBack ? { readBack: { profilesEmpty: 0, conversationsEmpty: 0, notRead: 0, profilesRemaining: 0, conversationsRemaining: 0 } } : {}),
  };
  for (const request of requests) {
    totals.requests[request.status] = (totals.requests[request.status] ?? 0) + 1;
    totals.held += request.held === undefined ? 0 : request.held.conversations + request.held.visitors;
    totals.kept += request.kept === undefined ? 0 : request.kept.conversations + request.kept.visitors;
    if (request.deadlineFlag === 'overdue') totals.overdue += 1;
    if (request.deadlineFlag === 'due_soon') totals.dueSoon += 1;
    if (request.concerns.length > 0) totals.needingAPerson += 1;
    if (totals.verify !== undefined && request.verify !== undefined) totals.verify[request.verify.result] = (totals.verify[request.verify.result] ?? 0) + 1;
    if (totals.readBack !== undefined && request.readBack !== undefined) {
      for (const key of Object.keys(totals.readBack) as (keyof ReadBackRow)[]) totals.readBack[key] += request.readBack[key];
    }
  }
  return totals;
}
