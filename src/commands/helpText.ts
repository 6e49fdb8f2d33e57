import type { Command } from 'commander';
import { DATE_ORDERS, DEFAULT_DATE_ORDER, SPREADSHEET_DATES, SPREADSHEET_TIME } from '../requests/receivedAtInstant.js';
import { COMMAND_HELP, PROGRAM_HELP, type CommandHelp, type DateKind, type HelpExample } from './commandHelp.js';
import { ENVIRONMENT_VARIABLES, type EnvironmentVariable } from './environmentVariables.js';
import { INTERVAL_DATES } from './parseRunFlags.js';

/** Help lines fit a terminal of this width (and the demo's). */
export const HELP_WIDTH = 100;
const INDENT = '  ';
const ENVIRONMENT_ORDER = Object.keys(ENVIRONMENT_VARIABLES) as EnvironmentVariable[];

/** The lines of the Dates section, by what they are about. */
const DATE_LINES: Record<DateKind, [string, string]> = {
  interval: ['--since, --until', INTERVAL_DATES],
  receivedAt: [
    'received_at',
    `in the request files: 2024-05-31 or an ISO 8601 time; or, as --date-order says: ` +
      DATE_ORDERS.map((order) => `${order}${order === DEFAULT_DATE_ORDER ? ' (default)' : ''}, ${SPREADSHEET_DATES[order]}`).join('; ') +
      `; ${SPREADSHEET_TIME}, read as UTC. A date that cannot be read is ignored: the deadline is unknown`,
  ],
};

/** Adds, after each command's options and the program's, its environment, exit codes, dates and examples. */
export function addHelpSections(program: Command): void {
  program.addHelpText('after', () => helpSections(PROGRAM_HELP, program.name()));
  for (const command of program.commands) {
    const help = COMMAND_HELP[command.name()];
    if (help !== undefined) command.addHelpText('after', () => helpSections(help, program.name()));
  }
}

export function helpSections(help: CommandHelp, programName: string): string {
  const environment =
    help.environment.length === 0
      ? ['Environment: none read.']
      : ['Environment:', ...table(ENVIRONMENT_ORDER.filter((name) => help.environment.includes(name)).map((name) => [name, ENVIRONMENT_VARIABLES[name]]))];
  const exitCodes = [help.exitCodesHeading ?? 'Exit codes:', ...table([...help.exitCodes].map(([code, meaning]) => [String(code), meaning]))];
  const dates = help.dates.length === 0 ? [] : ['', 'Dates:', ...table(help.dates.map((kind) => DATE_LINES[kind]))];
  const examples = ['Examples:', ...help.examples.flatMap((example) => exampleLines(programName, example))];
  return `\n${[...environment, '', ...exitCodes, ...dates, '', ...examples].join('\n')}\n`;
}

/** Two columns, the second wrapped under itself. */
function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.flatMap(([name, text]) => {
    const [first = '', ...rest] = wrap(text, `${INDENT}${' '.repeat(width)}  `);
    return [`${INDENT}${name.padEnd(width)}  ${first.trimStart()}`, ...rest];
  });
}

/** `$ program …` and, under it, what it does. */
export function exampleLines(programName: string, { commandLine, says }: HelpExample): string[] {
  return [...commandLines(programName, commandLine), ...wrap(says, '      ')];
}

/** `$ program …`, its words carried over with a backslash as a shell would read them. */
function commandLines(programName: string, commandLine: string): string[] {
  const words = commandLine.split(' ');
  const commandStart = words.findIndex((word) => !/^[A-Z_]+=/.test(word));
  const line = [...words.slice(0, commandStart), programName, ...words.slice(commandStart)];
  const lines: string[] = [];
  let current = `${INDENT}$`;
  for (const word of line) {
    if (current.trim() !== '$' && current.length + 1 + word.length + ' \\'.length > HELP_WIDTH) {
      lines.push(`${current} \\`);
      current = `${INDENT}     `;
    }
    current = `${current} ${word}`;
  }
  return [...lines, current];
}

/** The text cut into lines of at most HELP_WIDTH, each starting with the indent. */
export function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && indent.length + current.length + 1 + word.length > HELP_WIDTH) {
      lines.push(`${indent}${current}`);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  return [...lines, `${indent}${current}`];
}
