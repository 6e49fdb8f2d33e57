import { Option, type Command } from 'commander';
import { UsageError } from '../cliErrors.js';
import { wrap } from './helpText.js';
import { runFlagSyntax, type RunFlag } from './runFlags.js';

const DONE_LEDGER = 'iadvize-erasure apply done/<file>.ledger.jsonl';

/**
 * run's flags that mean nothing for a drop folder, each with what to do instead. The folder gives
 * each file its own ledger and report; a held request is decided on its ledger once the file is in
 * done/; and several watchers on one folder already share its files, each claimed by one of them.
 */
export const WATCH_REFUSED_FLAGS = {
  ledger: 'each file gets its own ledger, done/<file>.ledger.jsonl (or in failed/)',
  report: 'each file gets its own report beside its ledger, done/<file>.report.csv',
  forceLedger: 'each file starts a ledger of its own; to resume a ledger written for another endpoint: iadvize-erasure run <file> --ledger <it> --force-ledger',
  approve: `decide a watched file's held requests on its ledger: ${DONE_LEDGER} --approve <ids> (or --decisions <file>)`,
  reviewer: `the reviewer is named where held requests are decided: ${DONE_LEDGER} --approve <ids> --reviewer <name>`,
  shard: 'several watchers on one folder already share its files (each file is claimed by one of them): start more watchers instead',
} as const satisfies Partial<Record<RunFlag, string>>;

type RefusedFlag = keyof typeof WATCH_REFUSED_FLAGS;

/** Takes these flags, out of the help, only to refuse them with a message better than "unknown option". */
export function refuseWatchFlags(command: Command): void {
  const names = Object.keys(WATCH_REFUSED_FLAGS) as RefusedFlag[];
  for (const name of names) command.addOption(new Option(runFlagSyntax(name)).hideHelp());
  command.hook('preAction', (_command, action) => {
    const given = names.find((name) => action.getOptionValue(name) !== undefined);
    if (given !== undefined) throw new UsageError(`watch takes no ${flagOf(given)}: ${WATCH_REFUSED_FLAGS[given]}`);
  });
  const note = wrap(`Not taken from run (each says what to do instead): ${names.map(flagOf).join(', ')}.`, '');
  command.addHelpText('after', `\n${note.join('\n')}`);
}

function flagOf(name: RefusedFlag): string {
  return runFlagSyntax(name).split(' ')[0]!;
}
