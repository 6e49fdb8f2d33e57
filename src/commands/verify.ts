import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitError, UsageError } from '../cliErrors.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import { createLogger } from '../logging/createLogger.js';
import { exitCodeOf } from './exitCodes.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';
import { verifyLedger, type VerifyOptions, type VerifySummary } from '../verify/verifyLedger.js';
import { readBackReportPathFor } from '../verify/writeReadBackReport.js';
import { decimalOf } from './numberFlags.js';
import { createApiClient, createTokenProvider, type ApiConnection } from '../run/apiConnection.js';
import { createPreflight } from '../run/preflight.js';
import { asCredentialsError } from '../run/credentialsError.js';
import { parseConcurrency, parseConnection, parseDate, parseProjectIds } from './parseRunFlags.js';
import { addRunFlags, DEFAULT_LEDGER } from './runFlags.js';
import { commandLineOf } from './summary/commandLine.js';
import { addJsonOption, printSummary } from './summary/printSummary.js';
import { summaryOfVerify } from './summary/verifySummary.js';

export const DEFAULT_VERIFY_REPORT = 'erasure.verify.csv';
/**
 * ASSUMED (docs/api-notes.md): the article says the mutations "start" the anonymization and gives
 * no duration; the simulator applies them at once. Calling a target remaining too early only costs
 * a person's look or, with --reopen, a mutation sent again (which the API takes as done).
 */
export const DEFAULT_RECHECK_AFTER_SECONDS = 5;
const MAX_RECHECK_AFTER_SECONDS = 3600;

/** The flags as commander hands them over. */
export interface RawVerifyFlags {
  ledger?: string;
  report?: string;
  concurrency?: string;
  projectIds?: string;
  since?: string;
  until?: string;
  rate?: string;
  endpoint?: string;
  reopen?: boolean;
  readbackReport?: string;
  recheckAfter?: string;
  umask?: string;
  json?: boolean;
}

export interface VerifyCommandOptions extends Omit<ApiConnection, 'piiKey'> {
  verify: VerifyOptions;
  json?: boolean;
}

export function registerVerifyCommand(program: Command): void {
  const command = program
    .command('verify')
    .description('Check that each completed request of a ledger left nothing behind: its texts match no message, its e-mails and phones find no visitor')
    .argument('[file...]', 'the request files the runs read (default: the paths the ledger recorded); each must hold bytes a run of the ledger read');
  addRunFlags(command, ['ledger', 'report'], {
    ledger: `the ledger of the runs to verify (default: ${DEFAULT_LEDGER})`,
    report: `the CSV verification report (default: ${DEFAULT_VERIFY_REPORT})`,
  });
  command.option('--reopen', 'record each request with something remaining as failed in the ledger, so the next run erases it again');
  command.option('--readback-report <path>', "the CSV of what was read back, per request (default: the report's path with .readback.csv)");
  command.option(
    '--recheck-after <seconds>',
    `wait before reading again a target read back not empty, since the API only starts an anonymization (default: ${DEFAULT_RECHECK_AFTER_SECONDS})`,
  );
  addRunFlags(command, ['concurrency', 'projectIds', 'since', 'until', 'rate', 'endpoint'], {
    projectIds: 'comma-separated project ids to search (or IADVIZE_PROJECT_IDS; default: those the ledger recorded)',
    since: 'search from this date (default: where the run that completed each request started its search)',
    rate: "API calls per second at most (default: learnt from the API's 429s)",
  });
  addUmaskOption(command);
  addJsonOption(command);
  command.action(async (files: string[], flags: RawVerifyFlags) => {
    applyUmask(flags.umask);
    const exitCode = await verifyCommand(parseVerifyOptions(files, flags, process.env, Date.now()));
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

/** Parsed with run's parsers, so the shared flags, dates and credentials mean the same and fail with the same messages. */
export function parseVerifyOptions(files: string[], flags: RawVerifyFlags, env: NodeJS.ProcessEnv, nowMs: number): VerifyCommandOptions {
  const { endpoint, auth, ratePerSecond } = parseConnection(flags, env);
  const until = flags.until === undefined ? new Date(nowMs) : parseDate('--until', flags.until);
  const since = flags.since === undefined ? undefined : parseDate('--since', flags.since);
  if (since !== undefined && since.getTime() >= until.getTime()) throw new UsageError('--since must be before --until');
  // Unset, the projects are those the ledger recorded.
  const projectText = flags.projectIds ?? (env.IADVIZE_PROJECT_IDS?.trim() || undefined);
  const projectSource = flags.projectIds !== undefined ? '--project-ids' : 'IADVIZE_PROJECT_IDS';
  const reportPath = flags.report ?? DEFAULT_VERIFY_REPORT;
  const readBackReportPath = flags.readbackReport ?? readBackReportPathFor(reportPath);
  if (resolve(readBackReportPath) === resolve(reportPath)) throw new UsageError('--readback-report must not be the verify report itself');
  const verify: VerifyOptions = {
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    files,
    reportPath,
    readBackReportPath,
    recheckAfterMs: parseRecheckAfter(flags.recheckAfter) * 1000,
    concurrency: parseConcurrency(flags.concurrency),
    until: until.toISOString(),
    reopen: flags.reopen === true,
    ...(projectText !== undefined ? { projectIds: parseProjectIds(projectSource, projectText) } : {}),
    ...(since !== undefined ? { since: since.toISOString() } : {}),
  };
  return { verify, endpoint, auth, ...(ratePerSecond !== undefined ? { ratePerSecond } : {}), ...(flags.json === true ? { json: true } : {}) };
}

function parseRecheckAfter(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RECHECK_AFTER_SECONDS;
  const seconds = decimalOf(text);
  if (!(seconds <= MAX_RECHECK_AFTER_SECONDS))
    throw new UsageError(`--recheck-after must be a number of seconds from 0 to ${MAX_RECHECK_AFTER_SECONDS}, got "${text}"`);
  return seconds;
}

async function verifyCommand(options: VerifyCommandOptions): Promise<number> {
  const tokens = createTokenProvider(options.auth);
  const client = createApiClient(options, options.verify.concurrency, tokens);
  // before the first call: the report is written last, the ledger appended to with --reopen
  const reports = [options.verify.reportPath, options.verify.readBackReportPath];
  await checkOutputPaths(options.verify.reopen ? [...reports, options.verify.ledgerPath] : reports);
  let summary: VerifySummary;
  try {
    summary = await verifyLedger(options.verify, { client, logger: createLogger(), exitCodeOf, preflight: createPreflight(options, tokens) });
  } catch (error) {
    throw asCredentialsError(error);
  }
  const { ledgerPath, reportPath, readBackReportPath } = options.verify;
  const exitCode = exitCodeOf(summary.outcome);
  printSummary(summaryOfVerify({ summary, exitCode, ledgerPath, reportPath, readBackReportPath, again: commandLineOf() }), options.json);
  return exitCode;
}
