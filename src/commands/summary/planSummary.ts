import type { Plan } from '../../plan/plan.js';
import type { RunResult } from '../../run/runErasure.js';
import { commandOf } from './commandLine.js';
import { countsOver, heldOrNone, REQUEST_STATUSES, SUMMARY_VERSION, TARGET_STATUSES, type CommandSummary, type NextStep } from './commandSummary.js';
import { leftToDo } from './runNextSteps.js';
import { pluralVerb } from './wording.js';

export interface PlanSummaryInput {
  result: RunResult;
  /** The plan's counts; absent when the dry run was cut short and no plan was written. */
  counts?: Plan['counts'];
  planPath: string;
  reportPath: string;
  /** `--ledger`, when given: the dry run is recorded there, and apply appends to it. */
  ledgerPath?: string;
  again: string;
}

/** The end of `plan`. */
export function summaryOfPlan(input: PlanSummaryInput): CommandSummary {
  const { result, counts } = input;
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'summary',
    command: 'plan',
    outcome: result.outcome,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    requests: countsOver(REQUEST_STATUSES, result.requests),
    targets: countsOver(TARGET_STATUSES, result.targets),
    held: heldOrNone(counts?.held),
    api: result.api,
    files: {
      ...(counts !== undefined ? { plan: input.planPath } : {}),
      report: input.reportPath,
      ...(input.ledgerPath !== undefined ? { ledger: input.ledgerPath } : {}),
    },
    next: nextAfterPlan(input),
    stoppedBecause: result.stoppedBecause ?? null,
    plan: { planned: heldOrNone(counts?.planned), held: heldOrNone(counts?.held), written: counts !== undefined },
  };
}

function nextAfterPlan({ result, counts, planPath, ledgerPath, again }: PlanSummaryInput): NextStep[] {
  const steps = leftToDo(result, again, 'plan');
  if (counts === undefined) {
    if (steps.length === 0) steps.push({ reason: 'no plan was written: plan again', command: again });
    return steps;
  }
  const held = result.requests.needs_review ?? 0;
  if (held > 0) {
    steps.push({
      reason: `${pluralVerb(held, 'request', 'holds', 'hold')} targets for a decision: review the plan on the local page`,
      command: commandOf('review', planPath),
    });
  }
  if ((result.requests.failed ?? 0) === 0) {
    const ledger = ledgerPath !== undefined ? ['--ledger', ledgerPath] : [];
    steps.push({
      reason: `${held > 0 ? 'or apply it as it is (held targets stay)' : 'apply it'}: erase what it lists`,
      command: commandOf('apply', planPath, ...ledger),
    });
  }
  return steps;
}
