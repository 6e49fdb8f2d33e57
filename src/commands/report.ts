import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../cliErrors.js';
import { writeFileAtomically } from '../files/writeFileAtomically.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import { collectEvidence } from '../report/collectEvidence.js';
import { renderEvidenceHtml } from '../report/renderEvidenceHtml.js';
import { readBackReportPathFor } from '../verify/writeReadBackReport.js';
import { DEFAULT_LEDGER } from './runFlags.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';
import { DEFAULT_VERIFY_REPORT } from './verify.js';
import { addJsonOption, printSummary } from './summary/printSummary.js';
import { summaryOfReport } from './summary/reportSummary.js';

/** The flags as commander hands them over. */
export interface RawReportFlags {
  ledger?: string;
  verifyReport?: string;
  readbackReport?: string;
  html?: string;
  umask?: string;
  json?: boolean;
}

/** One format the report is written in; another would add its own flag (`--json` is the end summary, as on the other commands). */
export type ReportFormat = 'html';

export interface ReportOptions {
  ledgerPath: string;
  verifyReportPath?: string;
  readBackReportPath?: string;
  outputs: { format: ReportFormat; path: string }[];
}

export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description(
      "Write a ledger's evidence report for the data-protection officer: per request, what was erased and why, what was held or kept and by whom, " +
        'and what verify read back; counts, ids, dates and reviewers only, no personal data. It never reads the request files',
    )
    .option('--ledger <path>', `the ledger to report on (default: ${DEFAULT_LEDGER})`)
    .option('--verify-report <path>', `the CSV report verify wrote (default: ${DEFAULT_VERIFY_REPORT}, when it exists)`)
    .option('--readback-report <path>', "the CSV of what verify read back (default: the verify report's path with .readback.csv, when it exists)")
    .option('--html <path>', 'write the report as one self-contained HTML page, for the screen and for A4 print (required)');
  addUmaskOption(command);
  addJsonOption(command);
  command.action(async (flags: RawReportFlags) => {
    applyUmask(flags.umask);
    await reportCommand(await parseReportOptions(flags, fileExists), Date.now(), flags.json);
  });
}

/** `exists` decides the defaults: verify's reports are read when they are where verify writes them by default. */
export async function parseReportOptions(flags: RawReportFlags, exists: (path: string) => Promise<boolean>): Promise<ReportOptions> {
  if (flags.html === undefined) throw new UsageError('report needs an output: --html <path>');
  const ledgerPath = flags.ledger ?? DEFAULT_LEDGER;
  const verifyReportPath = flags.verifyReport ?? ((await exists(DEFAULT_VERIFY_REPORT)) ? DEFAULT_VERIFY_REPORT : undefined);
  const readBackDefault = readBackReportPathFor(flags.verifyReport ?? DEFAULT_VERIFY_REPORT);
  const readBackReportPath = flags.readbackReport ?? ((await exists(readBackDefault)) ? readBackDefault : undefined);
  const outputs = [{ format: 'html' as const, path: flags.html }];
  const inputs = [ledgerPath, verifyReportPath, readBackReportPath].filter((path): path is string => path !== undefined);
  for (const output of outputs) {
    if (inputs.some((input) => resolve(input) === resolve(output.path)))
      throw new UsageError(`--${output.format} must not be one of the files the report reads`);
  }
  if (verifyReportPath !== undefined && readBackReportPath !== undefined && resolve(verifyReportPath) === resolve(readBackReportPath)) {
    throw new UsageError('--readback-report must not be the verify report itself');
  }
  return {
    ledgerPath,
    outputs,
    ...(verifyReportPath !== undefined ? { verifyReportPath } : {}),
    ...(readBackReportPath !== undefined ? { readBackReportPath } : {}),
  };
}

async function reportCommand(options: ReportOptions, nowMs: number, json: boolean | undefined): Promise<void> {
  await checkOutputPaths(options.outputs.map((output) => output.path));
  const report = await collectEvidence({ ...options, nowMs });
  for (const output of options.outputs) await writeFileAtomically(output.path, renderEvidenceHtml(report));
  const { ledgerPath, verifyReportPath, readBackReportPath } = options;
  const summary = summaryOfReport({
    report,
    ledgerPath,
    htmlPath: options.outputs[0]!.path,
    durationMs: Date.now() - nowMs,
    ...(verifyReportPath !== undefined ? { verifyReportPath } : {}),
    ...(readBackReportPath !== undefined ? { readBackReportPath } : {}),
  });
  printSummary(summary, json);
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    (found) => found.isFile(),
    () => false,
  );
}
