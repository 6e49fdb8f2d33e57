import { join } from 'node:path';
import type { Command } from 'commander';
import { ExitError, UsageError } from '../cliErrors.js';
import { createLogger } from '../logging/createLogger.js';
import { runErasure } from '../run/runErasure.js';
import { withTerminationSignals } from '../run/terminationSignals.js';
import type { FileRun } from '../watch/processDroppedFile.js';
import { packageVersion } from '../version.js';
import { watchFolder } from '../watch/watchFolder.js';
import { DEFAULT_QUIET_MS } from '../watch/isStable.js';
import { createApiClient, createTokenProvider } from '../run/apiConnection.js';
import { asCredentialsError } from '../run/credentialsError.js';
import { createPreflight } from '../run/preflight.js';
import { parseInterval, parseRunOptions, parseUrl } from './parseRunFlags.js';
import { addRunFlags, READING_FLAGS, type RawRunFlags } from './runFlags.js';
import { EXIT_CODES, exitCodeOf } from './exitCodes.js';
import { decimalOf } from './numberFlags.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';
import { refuseWatchFlags } from './watchRefusedFlags.js';
import type { ClientStats } from '../api/iadvizeClient.js';
import type { EndedFile } from '../watch/endedFile.js';
import { commandLineOf } from './summary/commandLine.js';
import { NO_API_CALLS } from './summary/commandSummary.js';
import { addJsonOption, printSummary, printWatchedFile } from './summary/printSummary.js';
import { summaryOfWatch, summaryOfWatchedFile, WatchTotals } from './summary/watchSummary.js';

const DEFAULT_POLL_SECONDS = 5;

/** The flags as commander hands them over: run's, without --ledger and --report. */
export interface RawWatchFlags extends Omit<RawRunFlags, 'ledger' | 'report' | 'umask'> {
  once?: boolean;
  poll?: string;
  quiet?: string;
  deleteInputs?: boolean;
  webhook?: string;
  umask?: string;
  json?: boolean;
}

export function registerWatchCommand(program: Command): void {
  const command = program
    .command('watch')
    .description('Process request files dropped into <dir>/inbox/, each with its own ledger, report and summary, into done/ or failed/')
    .argument('<dir>', 'the drop folder; inbox/, processing/, done/, failed/ and state/ are created if missing')
    .option('--once', 'process what inbox/ holds now, then exit with the worst outcome (for CronJobs)')
    .option('--poll <seconds>', `seconds between two looks at inbox/ (default: ${DEFAULT_POLL_SECONDS})`)
    .option(
      '--quiet <seconds>',
      `seconds a file must stay unchanged before it is taken; longer for slow uploads to a share (default: ${DEFAULT_QUIET_MS / 1000})`,
    )
    .option('--delete-inputs', 'delete each request file once processed instead of moving it to done/ or failed/')
    .option('--webhook <url>', "POST each file's summary.json there (JSON; a failure is logged, never fails the file)");
  addRunFlags(
    command,
    ['concurrency', 'projectIds', 'maxVisitorsPerRequest', 'defaultCountry', 'since', 'until', 'dryRun', 'rate', 'endpoint', ...READING_FLAGS],
    {
      until: 'search up to this date (default: when each file starts)',
    },
  );
  addUmaskOption(command);
  addJsonOption(command, 'print a JSON object per file and one at the end instead of text, one per line (JSON Lines), for scripts');
  refuseWatchFlags(command);
  command.action(async (dir: string, flags: RawWatchFlags) => {
    const exitCode = await watchCommand(dir, flags);
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

async function watchCommand(dir: string, flags: RawWatchFlags): Promise<number> {
  const startedAtMs = Date.now();
  const { once, poll, quiet, deleteInputs, webhook, umask, json, ...runFlags } = flags;
  const fileMode = applyUmask(umask);
  // Parsed once, so a bad flag fails at start; the interval again per file, so the default --until is that file's start.
  const parsed = parseRunOptions([], runFlags, process.env, Date.now());
  const pollMs = poll === undefined ? DEFAULT_POLL_SECONDS * 1000 : parseSeconds(poll, '--poll');
  const quietMs = quiet === undefined ? DEFAULT_QUIET_MS : parseSeconds(quiet, '--quiet');
  const webhookUrl = webhook === undefined ? undefined : parseUrl(webhook, '--webhook');
  const tokens = createTokenProvider(parsed.auth);
  // Once for the folder, before the first file is claimed: a refused configuration leaves the files in inbox/.
  const preflight = createPreflight(parsed, tokens);
  const logger = createLogger();

  const totals = new WatchTotals();
  // the runs of the file under way (one, or more when it changed while read): files are processed one at a time
  let fileRuns = { api: { ...NO_API_CALLS } as ClientStats, runMs: 0, rejectedLines: [] as number[] };
  const fileEnded = (ended: EndedFile) => {
    const file = summaryOfWatchedFile({
      ended,
      exitCode: ended.summary?.exitCode ?? exitCodeOf(ended.outcome),
      ...fileRuns,
      inbox: join(dir, 'inbox'),
    });
    fileRuns = { api: { ...NO_API_CALLS }, runMs: 0, rejectedLines: [] };
    totals.add(file);
    printWatchedFile(file, json);
  };

  let client: ReturnType<typeof createApiClient> | undefined;
  const runFile = async (stop: AbortSignal, { input, ledgerPath, reportPath, resolveAgain }: FileRun) => {
    const result = await runErasure(
      {
        ...parsed.run,
        interval: parseInterval(runFlags, Date.now()),
        // one digest key for the folder, apart from the ledgers that go to done/ with the files
        digestKeyFile: join(dir, 'state', 'digest.key'),
        source: { kind: 'files', files: [input] },
        ledgerPath,
        reportPath,
        ...(resolveAgain !== undefined ? { resolveAgain } : {}),
      },
      {
        // A client per file: a run's stop and circuit breaker must not carry over to the next file.
        client: (client = createApiClient(parsed, parsed.run.concurrency, tokens)),
        logger,
        version: packageVersion(),
        stop,
        exitCodeOf,
        preflight,
        ...(parsed.piiKey !== undefined ? { piiKey: parsed.piiKey } : {}),
      },
    );
    fileRuns.runMs += result.durationMs;
    fileRuns.rejectedLines = result.rejectedRows.map((row) => row.line);
    for (const key of Object.keys(fileRuns.api) as (keyof ClientStats)[]) fileRuns.api[key] += result.api[key];
    return result;
  };
  try {
    // First signal: finish the file under way, then exit. Second: stop waiting for the calls in flight.
    const outcome = await withTerminationSignals(
      (stop) =>
        watchFolder(
          { dir, once: once === true, pollMs, quietMs },
          {
            runFile: (run) => runFile(stop, run),
            beforeClaim: () => preflight(parsed.run.projectIds),
            exitCodes: EXIT_CODES,
            logger,
            stop,
            deleteInputs: deleteInputs === true,
            fileMode,
            fileEnded,
            ...(webhookUrl !== undefined ? { webhook: webhookUrl } : {}),
          },
        ),
      () => client?.abortInFlight(),
    );
    const exitCode = exitCodeOf(outcome);
    printSummary(summaryOfWatch({ totals, outcome, exitCode, durationMs: Date.now() - startedAtMs, folder: dir, again: commandLineOf() }), json);
    return exitCode;
  } catch (error) {
    throw asCredentialsError(error);
  }
}

function parseSeconds(text: string, flag: string): number {
  const value = decimalOf(text);
  if (!(value >= 0.1 && value <= 3600)) throw new UsageError(`${flag} must be a number of seconds from 0.1 to 3600, like 5 or 0.5`);
  return Math.round(value * 1000);
}
