import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/runCli.js';

/**
 * `--help` of the program and of each command, as a person reads it: the environment the command
 * reads, its exit codes, the dates it accepts, and examples that the command would take.
 */

const CREDENTIALS = ['IADVIZE_TOKEN', 'IADVIZE_USERNAME', 'IADVIZE_PASSWORD', 'IADVIZE_TOKEN_URL'];
const LOGS = ['LOG_LEVEL', 'LOG_FORMAT'];
const ALL = [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PROJECT_IDS', 'IADVIZE_PII_KEY', ...LOGS];
const RUN_CODES = ['0', '1', '2', '3', '4', '130', '143'];

/** What each reads and ends with, written out here rather than taken from src/, so a slip there fails. */
const EXPECTED: Record<string, { environment: string[]; exitCodes: string[]; dates: ('interval' | 'receivedAt')[] }> = {
  '': { environment: ALL, exitCodes: RUN_CODES, dates: ['interval', 'receivedAt'] },
  run: { environment: ALL, exitCodes: RUN_CODES, dates: ['interval', 'receivedAt'] },
  plan: { environment: ALL, exitCodes: RUN_CODES, dates: ['interval', 'receivedAt'] },
  // the plan's projects, not the environment's
  apply: { environment: [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PII_KEY', ...LOGS], exitCodes: RUN_CODES, dates: [] },
  watch: { environment: ALL, exitCodes: ['0', '1', '2', '3', '130', '143'], dates: ['interval', 'receivedAt'] },
  // verify writes no request event, so it needs no digest key
  verify: { environment: [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PROJECT_IDS', ...LOGS], exitCodes: ['0', '1', '2', '3', '4'], dates: ['interval'] },
  review: { environment: [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PII_KEY', ...LOGS], exitCodes: ['0', '1'], dates: [] },
  report: { environment: [], exitCodes: ['0', '1'], dates: [] },
  doctor: { environment: [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PROJECT_IDS', ...LOGS], exitCodes: ['0', '1'], dates: [] },
  simulator: { environment: [], exitCodes: ['0', '1'], dates: [] },
};

interface Help {
  text: string;
  /** Each option's flag, and whether it takes a value. */
  options: Map<string, boolean>;
  /** The `<arg>` words of the usage line: at least one value each. */
  requiredArguments: number;
}

const helps = new Map<string, Help>();

async function helpOf(command: string): Promise<Help> {
  const known = helps.get(command);
  if (known !== undefined) return known;
  const result = await runCli(command === '' ? ['--help'] : [command, '--help']);
  expect(result.code).toBe(0);
  const text = result.stdout;
  const options = new Map<string, boolean>();
  for (const [, flags, value] of section(text, 'Options:').matchAll(/^ {2}(?:-\w, )?(--[\w-]+)(?: (<[^>]+>))?/gm)) options.set(flags!, value !== undefined);
  const usage = /^Usage: \S+ (.*)$/m.exec(text)?.[1] ?? '';
  const help = { text, options, requiredArguments: (usage.match(/<[^>]+>/g) ?? []).length };
  helps.set(command, help);
  return help;
}

/** The lines under a heading, up to the next blank line. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}`);
  if (start < 0) return '';
  const rest = text.slice(start + heading.length + 2);
  const end = rest.indexOf('\n\n');
  return end < 0 ? rest : rest.slice(0, end);
}

/** The first word of each entry of a two-column section (continuation lines are indented further). */
function entries(text: string, heading: string): string[] {
  return [...section(text, heading).matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]!);
}

/** Each example's words, its continuation lines joined, without the prompt. */
function examplesOf(text: string): string[][] {
  const lines = section(text, 'Examples:').split('\n');
  const examples: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('  $ ')) current = [];
    else if (current === undefined || !/^ {8}\S/.test(line)) continue;
    current.push(
      ...line
        .replace(/^ {2}\$ | {8}/, '')
        .replace(/ \\$/, '')
        .split(' '),
    );
    if (!line.endsWith(' \\')) {
      examples.push(current);
      current = undefined;
    }
  }
  return examples;
}

let commands: string[];

beforeAll(async () => {
  commands = entries((await helpOf('')).text, 'Commands:').filter((name) => name !== 'help');
});

describe('--help', () => {
  test('the program names every command this test knows, and no other', () => {
    expect(commands.sort()).toEqual(
      Object.keys(EXPECTED)
        .filter((name) => name !== '')
        .sort(),
    );
  });

  test.each(Object.keys(EXPECTED))('"%s --help" lists its environment, its exit codes and the date formats it reads, within 100 columns', async (command) => {
    const { text } = await helpOf(command);
    const expected = EXPECTED[command]!;

    if (expected.environment.length === 0) expect(text).toContain('\nEnvironment: none read.\n');
    else expect(entries(text, 'Environment:')).toEqual(expected.environment);
    expect(entries(text, command === '' ? 'Exit codes of run, plan and apply' : 'Exit codes:')).toEqual(expected.exitCodes);
    const dates = section(text, 'Dates:');
    expect(dates.includes('--since, --until  a day, 2024-01-31 (midnight UTC), or an ISO 8601 time')).toBe(expected.dates.includes('interval'));
    expect(/received_at +in the request files: 2024-05-31 .*\n.*dmy \(default\), the day first: 31\/05\/2024/.test(dates)).toBe(
      expected.dates.includes('receivedAt'),
    );
    // commander's own part is wrapped at 80 when stdout is not a terminal; ours at 100
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  test("the program's exit codes are those of docs/design.md's table", async () => {
    const design = await readFile(join(REPO_ROOT, 'docs', 'design.md'), 'utf8');
    const table = design.slice(design.indexOf('\n## Exit codes'), design.indexOf('\n## ', design.indexOf('\n## Exit codes') + 1));
    const codes = [...table.matchAll(/^\| ([\d /]+) \|/gm)].flatMap((match) => match[1]!.split(' / '));
    expect(codes.map((code) => code.trim())).toEqual(RUN_CODES);
  });

  test.each(Object.keys(EXPECTED))('"%s --help" shows two to four examples that the command they run would take', async (command) => {
    const examples = examplesOf((await helpOf(command)).text);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(4);
    for (const words of examples) {
      const variables = words.filter((word) => /^[A-Z_]+=/.test(word));
      const [program, name, ...rest] = words.slice(variables.length);
      expect(program).toBe('iadvize-erasure');
      expect(commands).toContain(name);
      const help = await helpOf(name!);
      // an example sets only what its command reads
      for (const variable of variables) expect(EXPECTED[name!]!.environment).toContain(variable.split('=')[0]);
      const positional: string[] = [];
      for (let index = 0; index < rest.length; index++) {
        const word = rest[index]!;
        if (!word.startsWith('--')) {
          positional.push(word);
          continue;
        }
        expect([word, help.options.has(word)]).toEqual([word, true]);
        if (help.options.get(word) === true) {
          const value = rest[++index];
          expect([word, value !== undefined && !value.startsWith('--')]).toEqual([word, true]);
        }
      }
      expect(positional.length).toBeGreaterThanOrEqual(help.requiredArguments);
    }
  });
});
