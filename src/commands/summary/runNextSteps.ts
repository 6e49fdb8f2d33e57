import { isInterruption } from '../../outcome/outcome.js';
import type { RunResult } from '../../run/runErasure.js';
import type { NextStep } from './commandSummary.js';
import { plural, rejectedRowsText } from './wording.js';

/** What is left after a run (run, apply, plan's dry run), worst first; a clean run has nothing left. */
export function leftToDo(result: RunResult, again: string, what: 'run' | 'plan' = 'run'): NextStep[] {
  if (isInterruption(result.outcome)) {
    const reason = what === 'plan' ? 'interrupted, so no plan was written: plan again' : 'interrupted: run the same command again, it resumes from the ledger';
    return [{ reason, command: again }];
  }
  const steps: NextStep[] = [];
  if (result.stoppedBecause !== undefined) {
    steps.push({ reason: 'the API stopped answering: run the same command again once it answers', command: again });
  } else {
    const failedTargets = result.targets.failed ?? 0;
    const failedRequests = result.requests.failed ?? 0;
    if (failedTargets > 0) steps.push({ reason: `${plural(failedTargets, 'target')} failed: run the same command again`, command: again });
    else if (failedRequests > 0) steps.push({ reason: `${plural(failedRequests, 'request')} failed: run the same command again`, command: again });
  }
  const rejected = result.requests.rejected ?? 0;
  if (rejected > 0) {
    steps.push({ reason: `${plural(rejected, 'request')} rejected: fix ${rejectedRowsText(result.rejectedRows, rejected)}, then run again`, command: again });
  }
  return steps;
}
