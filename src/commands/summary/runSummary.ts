import { isInterruption } from '../../outcome/outcome.js';
import type { RunResult } from '../../run/runErasure.js';
import { commandOf } from './commandLine.js';
import { countsOver, heldOrNone, REQUEST_STATUSES, SUMMARY_VERSION, TARGET_STATUSES, type CommandSummary, type NextStep } from './commandSummary.js';
import { leftToDo } from './runNextSteps.js';
import { pluralVerb } from './wording.js';

export interface RunSummaryInput {
  command: 'run' | 'apply';
  result: RunResult;
  ledgerPath: string;
  reportPath: string;
  /** The command line as given, to run again. */
  again: string;
  /** Set for `run --dry-run`: the same command line without --dry-run. */
  forReal?: string;
}

/** The end of `run` and `apply`. */
export function summaryOfRun(input: RunSummaryInput): CommandSummary {
  const { result } = input;
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'summary',
    command: input.command,
    outcome: result.outcome,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    requests: countsOver(REQUEST_STATUSES, result.requests),
    targets: countsOver(TARGET_STATUSES, result.targets),
    held: heldOrNone(result.held),
    api: result.api,
    files: { ledger: input.ledgerPath, report: input.reportPath },
    next: nextAfterRun(input),
    stoppedBecause: result.stoppedBecause ?? null,
  };
}

function nextAfterRun({ result, ledgerPath, again, forReal }: RunSummaryInput): NextStep[] {
  const steps = leftToDo(result, again);
  if (isInterruption(result.outcome)) return steps;
  if (forReal !== undefined) {
    steps.push({ reason: 'a dry run: nothing was erased; run it without --dry-run to erase', command: forReal });
    return steps;
  }
  const undecided = result.requests.needs_review ?? 0;
  if (undecided > 0) {
    steps.push({
      reason: `${pluralVerb(undecided, 'request', 'needs', 'need')} a decision: review (the page saves the decisions and applies them)`,
      command: commandOf('review', ledgerPath),
    });
  }
  if ((result.requests.completed ?? 0) > 0 && result.outcome !== 'failed_targets') {
    steps.push({ reason: 'verify it: nothing erased should be found any more', command: commandOf('verify', '--ledger', ledgerPath) });
  }
  return steps;
}
