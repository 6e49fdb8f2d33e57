import type { Command } from 'commander';
import { IadvizeClient } from '../api/iadvizeClient.js';
import { ExitError, UsageError } from '../cliErrors.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import { createLogger } from '../logging/createLogger.js';
import { exitCodeOf } from './exitCodes.js';
import { applyUmask } from './umaskFlag.js';
import { verifyLedger, type VerifyOptions, type VerifySummary } from '../verify/verifyLedger.js';
import { VERIFY_RESULTS } from '../verify/verification.js';
import { asCredentialsError, createTokenProvider, DEFAULT_LEDGER, parseConcurrency, parseConnection, parseDate, parseProjectIds, type ApiAuth } from './run.js';

export const DEFAULT_VERIFY_REPORT = 'erasure.verify.csv';

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
  umask?: string;
}

export interface VerifyCommandOptions {
  verify: VerifyOptions;
  endpoint: string;
  ratePerSecond?: number;
  auth: ApiAuth;
}

const EXIT_HELP = `
Exit codes:
  0  every completed request checked is clean
  1  usage, configuration or fatal error (no ledger, a file the ledger did not record, a refused token)
  2  nothing found, but some requests could not be checked (not_checked, failed): a person must look
  3  something still found for at least one request (outranks 2); with --reopen, the next run erases it
  4  another run holds the ledger's lock (--reopen only)`;

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description("Check that each completed request of a ledger left nothing behind: its texts match no message, its e-mails and phones find no visitor")
    .argument('[file...]', "the request files the runs read (default: the paths the ledger recorded); each must hold bytes a run of the ledger read")
    .option('--ledger <path>', `the ledger of the runs to verify (default: ${DEFAULT_LEDGER})`)
    .option('--report <path>', `the CSV verification report (default: ${DEFAULT_VERIFY_REPORT})`)
    .option('--reopen', 'record each request with something remaining as failed in the ledger, so the next run erases it again')
    .option('--concurrency <n>', 'API calls in flight at most (default: 4)')
    .option('--project-ids <ids>', 'comma-separated project ids to search (or IADVIZE_PROJECT_IDS; default: those the ledger recorded)')
    .option('--since <date>', "search from this date (default: where the run that completed each request started its search)")
    .option('--until <date>', 'search up to this date (default: now)')
    .option('--rate <per second>', "API calls per second at most (default: learnt from the API's 429s)")
    .option('--endpoint <url>', 'GraphQL endpoint (or IADVIZE_ENDPOINT; default: https://api.iadvize.com/graphql)')
    .option('--umask <octal>', 'the umask for the files and folders written (default: 077: files 600, folders 700; 027 gives 640 and 750)')
    .addHelpText('after', EXIT_HELP)
    .action(async (files: string[], flags: RawVerifyFlags) => {
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
  const verify: VerifyOptions = {
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    files,
    reportPath: flags.report ?? DEFAULT_VERIFY_REPORT,
    concurrency: parseConcurrency(flags.concurrency),
    until: until.toISOString(),
    reopen: flags.reopen === true,
    ...(projectText !== undefined ? { projectIds: parseProjectIds(projectSource, projectText) } : {}),
    ...(since !== undefined ? { since: since.toISOString() } : {}),
  };
  return { verify, endpoint, auth, ...(ratePerSecond !== undefined ? { ratePerSecond } : {}) };
}

async function verifyCommand(options: VerifyCommandOptions): Promise<number> {
  const client = new IadvizeClient({
    endpoint: options.endpoint,
    tokens: createTokenProvider(options.auth),
    concurrency: options.verify.concurrency,
    ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
  });
  // before the first call: the report is written last, the ledger appended to with --reopen
  await checkOutputPaths(options.verify.reopen ? [options.verify.reportPath, options.verify.ledgerPath] : [options.verify.reportPath]);
  let summary: VerifySummary;
  try {
    summary = await verifyLedger(options.verify, { client, logger: createLogger(), exitCodeOf });
  } catch (error) {
    throw asCredentialsError(error);
  }
  process.stdout.write(`${summaryLine(summary)}\nReport: ${options.verify.reportPath}\n`);
  if (summary.reopened > 0) {
    process.stdout.write(`Reopened ${summary.reopened} in ${options.verify.ledgerPath}: the next run with this ledger and these files erases them again\n`);
  }
  return exitCodeOf(summary.outcome);
}

export function summaryLine(summary: Pick<VerifySummary, 'results' | 'skipped'>): string {
  const results = VERIFY_RESULTS.map((result) => `${summary.results[result]} ${result}`).join(', ');
  const skipped = Object.entries(summary.skipped).map(([status, count]) => `${count} ${status}`);
  return `Verified: ${results}${skipped.length > 0 ? ` (not completed, so not checked: ${skipped.join(', ')})` : ''}`;
}
