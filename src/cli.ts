#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ApiError } from './api/apiError.js';
import { ExitError, UsageError } from './cliErrors.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { EXIT } from './commands/exitCodes.js';
import { addHelpSections } from './commands/helpText.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerReportCommand } from './commands/report.js';
import { registerReviewCommand } from './commands/review.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimulatorCommand } from './commands/simulator.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerWatchCommand } from './commands/watch.js';
import { LedgerWriteError } from './ledger/ledgerErrors.js';
import { FileSystemError, isSystemError } from './ledger/fileSystemError.js';
import { RequestFileError } from './requests/requestFileError.js';
import { CredentialsError } from './run/credentialsError.js';
import { LedgerMismatchError } from './run/ledgerMismatch.js';
import { PreflightError } from './run/preflightError.js';
import { LockHeldError } from './lock/lockHeldError.js';
import { PlanError } from './plan/planError.js';
import { DecisionsError } from './decisions/decisionsError.js';
import { ReportInputError } from './report/reportInputError.js';
import { VerifyError } from './verify/verifyError.js';
import { DropFolderError } from './watch/dropFolderError.js';
import { packageVersion } from './version.js';

const PROGRAM_NAME = 'iadvize-erasure';

/** Commander ends through these after printing help or the version itself. */
const ALREADY_REPORTED = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

function buildProgram(): Command {
  const program = new Command(PROGRAM_NAME)
    .description("Erase a person's data from iAdvize on request (GDPR Art. 17).")
    .version(packageVersion())
    // Commander must throw rather than exit, and leave printing to exitCodeFor: set before
    // registering commands, since subcommands copy these settings when created.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerRunCommand(program);
  registerPlanCommand(program);
  registerApplyCommand(program);
  registerWatchCommand(program);
  registerVerifyCommand(program);
  registerReviewCommand(program);
  registerReportCommand(program);
  registerDoctorCommand(program);
  registerSimulatorCommand(program);
  addHelpSections(program);
  return program;
}

function printError(message: string): void {
  process.stderr.write(`${PROGRAM_NAME}: ${message.replace(/\s*\n\s*/g, '; ')}\n`);
}

/** The one place errors become exit codes (docs/design.md#exit-codes). */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    if (!ALREADY_REPORTED.has(error.code)) printError(error.message.replace(/^error: /, ''));
    return error.exitCode;
  }
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof LockHeldError) {
    printError(error.message);
    return EXIT.locked;
  }
  // These carry messages built from safe fields only (ids, codes, statuses, system error codes).
  if (
    error instanceof UsageError ||
    error instanceof PlanError ||
    error instanceof DecisionsError ||
    error instanceof VerifyError ||
    error instanceof ReportInputError ||
    error instanceof DropFolderError ||
    error instanceof CredentialsError ||
    error instanceof PreflightError ||
    error instanceof ApiError ||
    error instanceof LedgerWriteError ||
    error instanceof RequestFileError ||
    error instanceof LedgerMismatchError
  ) {
    printError(error.message);
    return 1;
  }
  if (error instanceof FileSystemError) {
    printError(error.message);
    return 1;
  }
  // A filesystem error from anywhere else: the path and the code, no stack (not a bug of ours).
  if (isSystemError(error) && error.path !== undefined) {
    printError(`${error.syscall} ${error.path}: ${error.code}`);
    return 1;
  }
  // A bug. Its message is left out on purpose: graphql-request's ClientError puts the request's
  // variables (the personal data being erased) in its message (docs/toolchain.md#traps). The frames say where.
  const name = error instanceof Error ? error.name : typeof error;
  printError(`internal error (${name}); please report it with the frames below`);
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
  if (frames.length > 0) process.stderr.write(`${frames.join('\n')}\n`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

// A reader that stops early (`--help | head`) closes the pipe: the rest of the output has nobody
// to go to, which is no failure of the command (its ledger and report are on disk).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

// exitCode, not exit(): stdout and stderr drain before the process ends.
process.exitCode = await main(process.argv);
