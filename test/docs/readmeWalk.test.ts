import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../src/commands/simulator.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { codeBlocks, proseLines } from '../helpers/markdownText.js';
import { REPO_ROOT, runCli, spawnCli, waitFor, type CliResult } from '../helpers/runCli.js';
import { PROJECT_FR, PROJECT_UK, STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * The README's five-minute walk, run as written: its `export` lines give the environment, and each
 * `iadvize-erasure …` line of its code blocks runs the built CLI, from a folder two levels below one
 * that holds fixtures/, as `runs/walk` is in the repository. Only the endpoint differs: the
 * simulator runs in this process on a free port, instead of `node dist/cli.js simulator` on 4000.
 */

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const WALK_HEADING = '## A five-minute walk against the simulator';

/** The README's text from the walk's heading to the next heading of its level. */
function walkSection(): string {
  const start = README.indexOf(WALK_HEADING);
  if (start < 0) throw new Error(`README.md has no "${WALK_HEADING}"`);
  const rest = README.slice(start + WALK_HEADING.length);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The words of a shell line, as sh splits them for these lines: spaces, double quotes, a trailing `# comment`. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && char === '#' && !inWord) break;
    else if (!quoted && /\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const walkLines = codeBlocks(walkSection())
  .filter((block) => block.info === 'sh')
  .flatMap((block) => block.lines)
  .map(shellWords);

function exported(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const words of walkLines.filter((line) => line[0] === 'export')) {
    for (const assignment of words.slice(1)) {
      const equals = assignment.indexOf('=');
      env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
    }
  }
  return env;
}

/** The walk's command of this subcommand, without the leading `iadvize-erasure`. */
function commandOf(subcommand: string): string[] {
  const found = walkLines.filter((words) => words[0] === 'iadvize-erasure' && words[1] === subcommand);
  expect(found).toHaveLength(1);
  return found[0]!.slice(1);
}

/** What the README says a command prints: so a changed output fails here until the README says it too. */
function readmeSays(text: string): string {
  expect(README).toContain(text);
  return text;
}

let simulator: Simulator;
let root: string;
let walkDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator();
  root = await mkdtemp(join(tmpdir(), 'iadvize-erasure-walk-'));
  await symlink(join(REPO_ROOT, 'fixtures'), join(root, 'fixtures'));
  walkDir = join(root, 'runs', 'walk');
  await mkdir(walkDir, { recursive: true });
  env = { ...exported(), IADVIZE_ENDPOINT: simulator.graphqlUrl };
});

afterAll(async () => {
  await simulator.close();
  await rm(root, { recursive: true, force: true });
});

function walk(args: string[]): Promise<CliResult> {
  return runCli(args, env, 60_000, walkDir);
}

describe("the README's five-minute walk", () => {
  test('points at the simulator as `node dist/cli.js simulator` serves it: its address, its token and its projects', () => {
    const readmeEnv = exported();
    expect(readmeEnv.IADVIZE_ENDPOINT).toBe(`http://${DEFAULT_HOST}:${DEFAULT_PORT}/graphql`);
    expect(readmeEnv.IADVIZE_TOKEN).toBe(STATIC_TOKEN);
    expect(readmeEnv.IADVIZE_PROJECT_IDS).toBe(`${PROJECT_FR},${PROJECT_UK}`);
    expect(walkLines.some((words) => words.join(' ') === 'node dist/cli.js simulator')).toBe(true);
  });

  test('run, review, apply, verify and report --html do what it says, in its order, and write the files it names', async () => {
    const run = await walk(commandOf('run'));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(new RegExp(`Requests +${readmeSays('4 completed, 1 no_match, 2 needs_review, 2 rejected')}`));
    expect(run.stdout).toContain(readmeSays('iadvize-erasure review erasure.ledger.jsonl'));
    // "Off a terminal, as in a CronJob, they are JSON. They carry ids and counts, never the e-mails."
    const requestFile = readFileSync(join(REPO_ROOT, 'fixtures', 'demo-requests.csv'), 'utf8');
    const emails = [...requestFile.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)*/g)].map((match) => match[0]);
    expect(emails.length).toBeGreaterThan(3);
    for (const email of emails) expect(run.stderr).not.toContain(email);
    for (const line of run.stderr.split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();

    const report = await readFile(join(walkDir, 'erasure.report.csv'), 'utf8');
    const camille = report.split('\r\n').find((row) => row.startsWith('DEMO-009,'))!;
    expect(camille).toMatch(/^DEMO-009,needs_review,/);
    expect(readmeSays('A namesake with another e-mail is held, and so is a neighbour who named her in his own chat.')).toBeTruthy();

    const review = spawnCli(commandOf('review'), env, 60_000, walkDir);
    let printed = '';
    review.child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/\?s=\S+/.test(printed));
    const page = await fetch(/(http:\/\/127\.0\.0\.1:\d+\/\?s=\S+)/.exec(printed)![1]!);
    expect(page.status).toBe(200);
    review.child.kill('SIGINT');
    expect((await review.done).code).toBe(0);

    const apply = await walk(commandOf('apply'));
    expect(apply.code).toBe(0);
    const decided = (await readFile(join(walkDir, 'erasure.report.csv'), 'utf8')).split('\r\n').find((row) => row.startsWith('DEMO-009,'))!;
    expect(decided).toMatch(/^DEMO-009,completed,.*,Your Name,0$/);

    const verify = await walk(commandOf('verify'));
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`Verified +${readmeSays('5 clean')}`));
    expect(existsSync(join(walkDir, 'erasure.verify.csv'))).toBe(true);
    expect(existsSync(join(walkDir, 'erasure.verify.readback.csv'))).toBe(true);

    const evidence = await walk(commandOf('report'));
    expect(evidence.code).toBe(0);
    expect(await readFile(join(walkDir, 'evidence.html'), 'utf8')).toContain('DEMO-009');

    // every output file its prose names was written
    const named = proseLines(walkSection()).flatMap(({ text }) =>
      [...text.matchAll(/`((?:erasure|evidence)[\w.]*\.(?:csv|jsonl|html))`/g)].map((match) => match[1]!),
    );
    expect(named.length).toBeGreaterThan(3);
    for (const file of named) expect(existsSync(join(walkDir, file))).toBe(true);
  });
});
