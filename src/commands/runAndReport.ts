import type { RunObserver, RunResult } from '../run/runErasure.js';
import { executeRun, type RunSetup } from '../run/executeRun.js';
import { exitCodeOf } from './exitCodes.js';

/** The run (run, plan's dry run, apply); says on stderr when the circuit breaker stopped it. */
export async function runWithNotice(setup: RunSetup, observer?: RunObserver): Promise<RunResult> {
  const result = await executeRun(setup, exitCodeOf, observer);
  if (result.stoppedBecause !== undefined) {
    process.stderr.write(`iadvize-erasure: stopped sending: ${result.stoppedBecause}. The ledger is flushed; a re-run resumes once the API answers again.\n`);
  }
  return result;
}

/** Runs an erasure (run, apply) as a command: counts on stdout; returns the exit code. */
export async function runAndReport(setup: RunSetup): Promise<number> {
  return (await runAndReportResult(setup)).exitCode;
}

export async function runAndReportResult(setup: RunSetup): Promise<{ exitCode: number; result: RunResult }> {
  const result = await runWithNotice(setup);
  process.stdout.write(`Requests: ${countsLine(result)}\n${heldLine(result, setup)}Ledger: ${setup.run.ledgerPath}\nReport: ${setup.run.reportPath}\n`);
  return { exitCode: exitCodeOf(result.outcome), result };
}

/** "Held for review: 2 visitors and 3 conversations …", or nothing when no target waits for a person. */
function heldLine(result: RunResult, setup: RunSetup): string {
  if (result.held === undefined) return '';
  return (
    `Held for review: ${result.held.visitors} visitors and ${result.held.conversations} conversations ` +
    `(the report's reason and held columns say why; decide with iadvize-erasure review ${setup.run.ledgerPath})\n`
  );
}

export function countsLine(result: RunResult): string {
  return (
    Object.entries(result.requests)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ') || 'none'
  );
}
