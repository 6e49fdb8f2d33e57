import { applySubject } from '../commands/apply.js';
import { commandOf } from '../commands/summary/commandLine.js';
import { printSummary } from '../commands/summary/printSummary.js';
import { summaryOfRun } from '../commands/summary/runSummary.js';
import type { RequestStatus } from '../ledger/ledgerEvents.js';
import type { ApiConnection } from '../run/apiConnection.js';

export interface ApplyDecisionsSettings {
  connection: ApiConnection;
  concurrency?: number;
  /** A plan's run: the ledger and report it writes, as `apply --ledger --report` (a ledger's run appends to that ledger). */
  ledger?: string;
  report?: string;
}

/** The review page's apply button: exactly `apply <subject> --decisions <file>`. */
export async function applyDecisions(
  subjectPath: string,
  decisionsPath: string,
  settings: ApplyDecisionsSettings,
): Promise<{ exitCode: number; requests: Partial<Record<RequestStatus, number>> }> {
  const { exitCode, result, setup } = await applySubject(
    subjectPath,
    {
      decisions: decisionsPath,
      ...(settings.concurrency !== undefined ? { concurrency: String(settings.concurrency) } : {}),
      ...(settings.ledger !== undefined ? { ledger: settings.ledger } : {}),
      ...(settings.report !== undefined ? { report: settings.report } : {}),
    },
    settings.connection,
  );
  // on the review's stdout, below its URL: what the apply button did, as `apply` would have said
  const again = commandOf('apply', subjectPath, '--decisions', decisionsPath, ...(settings.ledger !== undefined ? ['--ledger', settings.ledger] : []));
  printSummary(summaryOfRun({ command: 'apply', result, ledgerPath: setup.run.ledgerPath, reportPath: setup.run.reportPath, again }), false);
  return { exitCode, requests: result.requests };
}
