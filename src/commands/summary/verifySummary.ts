import { VERIFY_RESULTS } from '../../verify/verification.js';
import type { VerifySummary } from '../../verify/verifyLedger.js';
import { readBackReportPathFor } from '../../verify/writeReadBackReport.js';
import { commandOf } from './commandLine.js';
import { countsOver, REQUEST_STATUSES, SUMMARY_VERSION, type CommandSummary, type NextStep } from './commandSummary.js';
import { plural, pluralVerb } from './wording.js';

export interface VerifySummaryInput {
  summary: VerifySummary;
  exitCode: number;
  ledgerPath: string;
  reportPath: string;
  readBackReportPath: string;
  again: string;
}

/** Where `report` writes the evidence page unless told otherwise in the next step. */
const EVIDENCE_PAGE = 'evidence.html';

/** The end of `verify`: requests counted by result, targets by what reading back found. */
export function summaryOfVerify(input: VerifySummaryInput): CommandSummary {
  const { summary } = input;
  const { readBack } = summary;
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'summary',
    command: 'verify',
    outcome: summary.outcome,
    exitCode: input.exitCode,
    durationMs: summary.durationMs,
    requests: countsOver(VERIFY_RESULTS, summary.results),
    targets: {
      profiles_empty: readBack.profilesEmpty,
      conversations_empty: readBack.conversationsEmpty,
      remaining: readBack.remaining,
      not_read: readBack.notRead,
    },
    held: { conversations: 0, visitors: 0 },
    api: summary.api,
    files: { ledger: input.ledgerPath, verifyReport: input.reportPath, readBackReport: input.readBackReportPath },
    next: nextAfterVerify(input),
    stoppedBecause: null,
    verify: { notCompleted: countsOver(REQUEST_STATUSES, summary.skipped), reopened: summary.reopened },
  };
}

function nextAfterVerify({ summary, ledgerPath, reportPath, readBackReportPath, again }: VerifySummaryInput): NextStep[] {
  const steps: NextStep[] = [];
  const { remaining, not_checked: notChecked, failed } = summary.results;
  if (summary.reopened > 0) {
    steps.push({
      reason: `${plural(summary.reopened, 'request')} reopened: run again over the same files with this ledger to erase what remains`,
      command: commandOf('run', ...summary.inputs, '--ledger', ledgerPath),
    });
  } else if (remaining > 0) {
    steps.push({
      reason: `${pluralVerb(remaining, 'request', 'still holds', 'still hold')} data: reopen, then run again (the verify report says what was found)`,
      command: `${again} --reopen`,
    });
  }
  if (notChecked + failed > 0) {
    steps.push({ reason: `${plural(notChecked + failed, 'request')} could not be checked: the verify report says why; verify again`, command: again });
  }
  if (remaining === 0 && summary.results.clean > 0) {
    const readBack = readBackReportPath === readBackReportPathFor(reportPath) ? [] : ['--readback-report', readBackReportPath];
    steps.push({
      reason: 'write the evidence report for the data-protection officer',
      command: commandOf('report', '--ledger', ledgerPath, '--verify-report', reportPath, ...readBack, '--html', EVIDENCE_PAGE),
    });
  }
  return steps;
}
