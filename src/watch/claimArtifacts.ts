import { join } from 'node:path';
import { lockPathOf } from '../lock/lockPath.js';
import type { DropFolder } from './dropFolder.js';

export const LEDGER_SUFFIX = '.ledger.jsonl';
export const REPORT_SUFFIX = '.report.csv';

/** The artifacts a claim's run leaves in processing/, which go with its summary. */
export const ARTIFACT_SUFFIXES = [LEDGER_SUFFIX, REPORT_SUFFIX] as const;

/** processing/<claimed>.ledger.jsonl: the claim's own ledger, which a taken-over claim resumes. */
export function claimLedgerPath(folder: DropFolder, claimed: string): string {
  return join(folder.processing, `${claimed}${LEDGER_SUFFIX}`);
}

export function claimReportPath(folder: DropFolder, claimed: string): string {
  return join(folder.processing, `${claimed}${REPORT_SUFFIX}`);
}

/** What a run leaves in processing/ beside an input: ledger, report, and the ledger lock's files (the lock, its takeover claims, a stale one set aside). */
export function isRunArtifact(name: string): boolean {
  const ledgerLock = lockPathOf(LEDGER_SUFFIX);
  return ARTIFACT_SUFFIXES.some((suffix) => name.endsWith(suffix)) || name.endsWith(ledgerLock) || name.includes(`${ledgerLock}.`);
}
