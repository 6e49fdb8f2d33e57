import type { Command } from 'commander';
import type { CommandSummary } from './commandSummary.js';
import { renderSummaryText, renderWatchedFileLine } from './renderSummaryText.js';

/** `--json`: the same summary as one JSON object on stdout, and nothing else there (docs/design.md#end-summary). */
export function addJsonOption(command: Command, description = 'print the end summary as one JSON object on stdout instead of text, for scripts'): Command {
  return command.option('--json', description);
}

export function printSummary(summary: CommandSummary, json: boolean | undefined): void {
  process.stdout.write(json === true ? `${JSON.stringify(summary)}\n` : renderSummaryText(summary));
}

/** watch: a line per file; with --json, a JSON object per line (JSON Lines). */
export function printWatchedFile(file: CommandSummary, json: boolean | undefined): void {
  process.stdout.write(json === true ? `${JSON.stringify(file)}\n` : renderWatchedFileLine(file));
}
