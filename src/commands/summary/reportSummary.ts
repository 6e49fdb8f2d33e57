import type { EvidenceReport } from '../../report/evidenceSummary.js';
import { commandOf } from './commandLine.js';
import { countsOver, NO_API_CALLS, REQUEST_STATUSES, SUMMARY_VERSION, TARGET_STATUSES, type CommandSummary, type NextStep } from './commandSummary.js';
import { pluralVerb } from './wording.js';

export interface ReportSummaryInput {
  report: EvidenceReport;
  ledgerPath: string;
  verifyReportPath?: string;
  readBackReportPath?: string;
  htmlPath: string;
  durationMs: number;
}

/** The end of `report`: the ledger's requests and targets as the evidence report counts them, and who must act on it. */
export function summaryOfReport(input: ReportSummaryInput): CommandSummary {
  const { report } = input;
  const held = { conversations: 0, visitors: 0 };
  for (const request of report.requests) {
    held.conversations += request.held?.conversations ?? 0;
    held.visitors += request.held?.visitors ?? 0;
  }
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'summary',
    command: 'report',
    outcome: 'ok',
    exitCode: 0,
    durationMs: input.durationMs,
    requests: countsOver(REQUEST_STATUSES, report.totals.requests),
    targets: countsOver(TARGET_STATUSES, report.totals.targets),
    held,
    api: { ...NO_API_CALLS },
    files: {
      ledger: input.ledgerPath,
      ...(input.verifyReportPath !== undefined ? { verifyReport: input.verifyReportPath } : {}),
      ...(input.readBackReportPath !== undefined ? { readBackReport: input.readBackReportPath } : {}),
      html: input.htmlPath,
    },
    next: nextAfterReport(input),
    stoppedBecause: null,
    report: { needingAPerson: report.totals.needingAPerson, overdue: report.totals.overdue, dueSoon: report.totals.dueSoon },
  };
}

function nextAfterReport({ report, ledgerPath, verifyReportPath, htmlPath }: ReportSummaryInput): NextStep[] {
  const steps: NextStep[] = [];
  const { needingAPerson, overdue, dueSoon } = report.totals;
  if (needingAPerson > 0) {
    const deadlines = [overdue > 0 ? `${overdue} overdue` : '', dueSoon > 0 ? `${dueSoon} due soon` : ''].filter(Boolean).join(', ');
    steps.push({
      reason: `${pluralVerb(needingAPerson, 'request', 'needs', 'need')} a person${deadlines !== '' ? ` (${deadlines})` : ''}: the report lists them first`,
      command: null,
    });
  }
  const undecided = report.totals.requests.needs_review ?? 0;
  if (undecided > 0) {
    steps.push({ reason: `${pluralVerb(undecided, 'request', 'waits', 'wait')} for a decision: review`, command: commandOf('review', ledgerPath) });
  }
  if (verifyReportPath === undefined && (report.totals.requests.completed ?? 0) > 0) {
    steps.push({
      reason: 'no verify report was given: verify, then report again to show what was read back',
      command: commandOf('verify', '--ledger', ledgerPath),
    });
  }
  if (steps.length === 0) steps.push({ reason: `hand ${htmlPath} to the data-protection officer (it holds no personal data)`, command: null });
  return steps;
}
