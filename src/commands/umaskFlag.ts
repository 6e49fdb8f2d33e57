import type { Command } from 'commander';
import { UsageError } from '../cliErrors.js';

/** Ledgers, reports, plans, summaries and done/ inputs hold personal data or evidence: the owner's only, unless told. */
export const DEFAULT_UMASK = 0o077;

/** For the commands that write outputs (run, plan, apply, watch, verify). */
export function addUmaskOption(command: Command): void {
  command.option('--umask <octal>', 'the umask for the files and folders written (default: 077: files 600, folders 700; 027 gives 640 and 750)');
}

/**
 * Sets the process umask from the flag (default 077), so every file and folder the command
 * creates gets it, and returns the mode of a file created so: 0o666 less the umask, for files
 * that are moved rather than created (done/ inputs), which keep their mode otherwise.
 */
export function applyUmask(text: string | undefined): number {
  const umask = text === undefined ? DEFAULT_UMASK : parseUmask(text);
  process.umask(umask);
  return 0o666 & ~umask;
}

function parseUmask(text: string): number {
  if (!/^0?[0-7]{3}$/.test(text.trim())) throw new UsageError('--umask must be three octal digits, like 077 or 027');
  return Number.parseInt(text.trim(), 8);
}
