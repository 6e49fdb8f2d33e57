import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomically } from '../files/writeFileAtomically.js';
import type { LedgerCounts } from '../ledger/summarizeLedger.js';
import { LEDGER_SUFFIX } from './claimArtifacts.js';
import type { FileSummary } from './fileSummary.js';
import { reportWhereInputIs } from './reportWhereInputIs.js';

/**
 * After held requests of a watched file were decided in its ledger (apply <ledger>): its
 * `<name>.summary.json` beside that ledger says the file's counts now and when it was decided,
 * and its report names the input where it is now, as when the watcher put it away. A ledger
 * without such a summary (a `run`'s) is left as it is.
 */
export async function refreshDecidedFile(ledgerPath: string, decided: { runId: string; exitCode: number; ledger: LedgerCounts }): Promise<void> {
  if (!ledgerPath.endsWith(LEDGER_SUFFIX)) return;
  const path = `${ledgerPath.slice(0, -LEDGER_SUFFIX.length)}.summary.json`;
  let summary: FileSummary;
  try {
    summary = JSON.parse(await readFile(path, 'utf8')) as FileSummary;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return;
    throw error;
  }
  const { held: _held, ...rest } = summary;
  const refreshed: FileSummary = {
    ...rest,
    requests: decided.ledger.requests,
    targets: decided.ledger.targets,
    ...(decided.ledger.held !== undefined ? { held: decided.ledger.held } : {}),
    decided: { runId: decided.runId, at: new Date().toISOString(), exitCode: decided.exitCode },
  };
  await writeFileAtomically(path, [`${JSON.stringify(refreshed, null, 2)}\n`]);
  // done/ and processing/ are folders of the same drop folder
  const destination = dirname(ledgerPath);
  const claimedAs = basename(ledgerPath).slice(0, -LEDGER_SUFFIX.length);
  await reportWhereInputIs({ processing: join(dirname(destination), 'processing') }, claimedAs, destination, Date.now());
}
