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
  const result = await runWithNotice(setup);
  process.stdout.write(`Requests: ${countsLine(result)}\n${heldLine(result)}Ledger: ${setup.run.ledgerPath}\nReport: ${setup.run.reportPath}\n`);
  return exitCodeOf(result.outcome);
}

/** "Held for review: 2 visitors and 3 conversations …", or nothing when no target waits for a person. */
function heldLine(result: RunResult): string {
  if (result.held === undefined) return '';
  return (
    `Held for review: ${result.held.visitors} visitors and ${result.held.conversations} conversations ` +
    `(the report's reason and held columns say why; release with --approve)\n`
  );
}

export function countsLine(result: RunResult): string {
  return (
    Object.entries(result.requests)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ') || 'none'
  );
}
