import type { Command } from 'commander';
import { ExitError } from '../cliErrors.js';
import { parseRunOptions } from './parseRunFlags.js';
import { runAndReport } from './runAndReport.js';
import { addRunFlags, API_FLAGS, LEDGER_FLAGS, READING_FLAGS, RESOLUTION_FLAGS, type RawRunFlags } from './runFlags.js';
import { addJsonOption } from './summary/printSummary.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('Erase the people in the request files: resolve, anonymize, record in the ledger and report')
    .argument('<file...>', 'request files (CSV, JSON array, NDJSON)');
  addRunFlags(command, [...LEDGER_FLAGS, ...RESOLUTION_FLAGS, ...READING_FLAGS, 'dryRun', 'approve', 'reviewer', ...API_FLAGS, 'shard']);
  addUmaskOption(command);
  addJsonOption(command);
  command.action(async (files: string[], flags: RawRunFlags & { json?: boolean }) => {
    applyUmask(flags.umask);
    const exitCode = await runAndReport(parseRunOptions(files, flags, process.env, Date.now()), flags.json);
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}
