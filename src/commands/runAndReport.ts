import type { RunObserver, RunResult } from '../run/runErasure.js';
import { executeRun, type RunSetup } from '../run/executeRun.js';
import { exitCodeOf } from './exitCodes.js';
import { commandLineOf } from './summary/commandLine.js';
import { printSummary } from './summary/printSummary.js';
import { summaryOfRun } from './summary/runSummary.js';

/** The run (run, plan's dry run, apply); says on stderr when the circuit breaker stopped it. */
export async function runWithNotice(setup: RunSetup, observer?: RunObserver): Promise<RunResult> {
  const result = await executeRun(setup, exitCodeOf, observer);
  if (result.stoppedBecause !== undefined) {
    process.stderr.write(`iadvize-erasure: stopped sending: ${result.stoppedBecause}. The ledger is flushed; a re-run resumes once the API answers again.\n`);
  }
  return result;
}

/** Runs an erasure (`run`) as a command: the end summary on stdout (text, or JSON with --json); returns the exit code. */
export async function runAndReport(setup: RunSetup, json: boolean | undefined): Promise<number> {
  const result = await runWithNotice(setup);
  const args = process.argv.slice(2);
  printSummary(
    summaryOfRun({
      command: 'run',
      result,
      ledgerPath: setup.run.ledgerPath,
      reportPath: setup.run.reportPath,
      again: commandLineOf(args),
      ...(setup.run.dryRun ? { forReal: commandLineOf(args.filter((arg) => arg !== '--dry-run')) } : {}),
    }),
    json,
  );
  return exitCodeOf(result.outcome);
}
