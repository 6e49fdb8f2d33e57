import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLedger } from '../ledger/readLedger.js';
import { writeReport } from '../ledger/writeReport.js';
import { LEDGER_SUFFIX, REPORT_SUFFIX } from './claimArtifacts.js';
import type { DropFolder } from './dropFolder.js';

/**
 * A claim's run wrote its report while the input was in processing/; once the claim is put away,
 * the report is written again from the ledger beside it, its `source` naming the input where it
 * is now (done/ or failed/). The ledger keeps the path the run read, as a ledger records what
 * happened; verify finds the input beside it by SHA-256. Safe to do again: the same ledger and
 * `nowMs` (the claim's finishedAt) give the same report. Nothing to do without a report.
 */
export async function reportWhereInputIs(folder: Pick<DropFolder, 'processing'>, claimedAs: string, destination: string, nowMs: number): Promise<void> {
  const reportPath = join(destination, `${claimedAs}${REPORT_SUFFIX}`);
  if (!(await isFile(reportPath))) return;
  const state = await readLedger(join(destination, `${claimedAs}${LEDGER_SUFFIX}`));
  if (state.requests.size === 0) return;
  const readAt = join(folder.processing, claimedAs);
  const now = join(destination, claimedAs);
  for (const [requestId, request] of state.requests) {
    if (request.source.file === readAt) state.requests.set(requestId, { ...request, source: { ...request.source, file: now } });
  }
  await writeReport(reportPath, state, nowMs);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
}
