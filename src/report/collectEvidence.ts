import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readLedger } from '../ledger/readLedger.js';
import { evidenceSummary, type EvidenceInput, type EvidenceReport } from './evidenceSummary.js';
import { readReadBackReport, readVerifyReport } from './readVerifyReports.js';
import { readResolutionCounts } from './readResolutionCounts.js';
import { ReportInputError } from './reportInputError.js';

export interface EvidenceSources {
  ledgerPath: string;
  /** verify's CSV reports, when given: the report then says what verify found and read back. */
  verifyReportPath?: string;
  readBackReportPath?: string;
  nowMs: number;
}

/**
 * Reads the ledger and verify's reports into the evidence report's content. Never reads the
 * request files: the report must hold none of their data. Run it when no run appends to the
 * ledger, or the SHA-256 may cover a few more lines than the counts.
 */
export async function collectEvidence(sources: EvidenceSources): Promise<EvidenceReport> {
  const sha256 = await sha256Of(sources.ledgerPath);
  const state = await readLedger(sources.ledgerPath);
  const resolutions = await readResolutionCounts(sources.ledgerPath, (kind, id) => state.targets.get(kind, id)?.status);
  const input: EvidenceInput = { ledger: { path: sources.ledgerPath, sha256 }, state, resolutions, nowMs: sources.nowMs };
  if (sources.verifyReportPath !== undefined) input.verifyReport = { path: sources.verifyReportPath, rows: await readVerifyReport(sources.verifyReportPath) };
  if (sources.readBackReportPath !== undefined) {
    input.readBackReport = { path: sources.readBackReportPath, rows: await readReadBackReport(sources.readBackReportPath) };
  }
  return evidenceSummary(input);
}

async function sha256Of(ledgerPath: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(ledgerPath)) hash.update(chunk as Buffer);
  } catch (error) {
    // a report of no ledger would prove nothing: unlike a run, a missing ledger is an error here
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ReportInputError(`no ledger at ${ledgerPath}`);
    throw error;
  }
  return hash.digest('hex');
}
