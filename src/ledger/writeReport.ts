import { countTargetsByRequest } from './countTargetsByRequest.js';
import type { RequestStatus } from './ledgerEvents.js';
import { deadlineFlag, deadlineOf, type DeadlineFlag } from './requestDeadline.js';
import type { LedgerState } from './ledgerState.js';
import { csvCell } from '../files/csvCell.js';
import { writeFileAtomically } from '../files/writeFileAtomically.js';

/** One report line; the keys are the CSV's column names (docs/design.md#report). */
export interface ReportRow {
  request_id: string;
  status: RequestStatus;
  conversations: number;
  visitors: number;
  anonymized: number;
  already_anonymized: number;
  failed: number;
  /** Empty when the request has none. */
  reason: string;
  /** "file:line" of the request's first row. */
  source: string;
  /** ISO date the person asked, when the file said; empty otherwise. */
  received_at: string;
  /** One month after receipt (GDPR Art. 12(3)); empty without received_at, `unknown` when the file's received_at could not be read. */
  deadline: string;
  /** `overdue` or `due_soon` (within 7 days) for a request not settled yet. */
  deadline_flag: DeadlineFlag;
  /** Targets waiting for a person's decision (the reason says why); 0 when nothing is held. */
  held: number;
  /** Who decided its held targets (`--approve` or a decisions file); empty when no one did. */
  decided_by: string;
  /** Held targets kept by that decision, not erased; 0 when none. */
  kept: number;
}

export const REPORT_COLUMNS = [
  'request_id',
  'status',
  'conversations',
  'visitors',
  'anonymized',
  'already_anonymized',
  'failed',
  'reason',
  'source',
  'received_at',
  'deadline',
  'deadline_flag',
  'held',
  'decided_by',
  'kept',
] as const satisfies readonly (keyof ReportRow)[];

/** One row per request (its latest event), ordered as in the input files: by file, then line. */
export function reportRows(state: Pick<LedgerState, 'requests' | 'targets'>, nowMs: number = Date.now()): ReportRow[] {
  const counts = countTargetsByRequest(state.targets.values());
  const requests = [...state.requests.values()].sort(
    (a, b) => compareText(a.source.file, b.source.file) || a.source.line - b.source.line || compareText(a.requestId, b.requestId),
  );
  return requests.map((request) => {
    const targets = counts.get(request.requestId);
    return {
      request_id: request.requestId,
      status: request.status,
      conversations: request.conversations,
      visitors: request.visitors,
      anonymized: targets?.anonymized ?? 0,
      already_anonymized: targets?.already_anonymized ?? 0,
      failed: targets?.failed ?? 0,
      reason: request.reason ?? '',
      source: `${request.source.file}:${request.source.line}`,
      received_at: request.receivedAt ?? '',
      deadline: request.receivedAtUnreadable === true ? 'unknown' : request.receivedAt === undefined ? '' : deadlineOf(request.receivedAt).toISOString(),
      deadline_flag: deadlineFlag(request.status, request.receivedAt, nowMs),
      held: request.status === 'needs_review' && request.held !== undefined ? request.held.conversations + request.held.visitors : 0,
      decided_by: request.decidedBy ?? '',
      kept: request.kept === undefined ? 0 : request.kept.conversations + request.kept.visitors,
    };
  });
}

/** Writes the report atomically: a crash leaves the previous report or the new one, never half of one. */
export async function writeReport(path: string, state: Pick<LedgerState, 'requests' | 'targets'>, nowMs: number = Date.now()): Promise<void> {
  await writeFileAtomically(path, reportText(reportRows(state, nowMs)));
}

function* reportText(rows: ReportRow[]): Iterable<string> {
  yield HEADER;
  for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
    let text = '';
    for (const row of rows.slice(start, start + ROWS_PER_WRITE)) text += formatRow(row);
    yield text;
  }
}

const ROWS_PER_WRITE = 2000;
// RFC 4180 with CRLF; the UTF-8 BOM keeps Excel from reading the file as the local ANSI code page
const HEADER = `\uFEFF${REPORT_COLUMNS.join(',')}\r\n`;

function formatRow(row: ReportRow): string {
  return `${REPORT_COLUMNS.map((column) => csvCell(String(row[column]))).join(',')}\r\n`;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
