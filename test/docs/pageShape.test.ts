import { describe, expect, test } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { proseLines } from '../helpers/markdownText.js';
import { REPO_ROOT } from '../helpers/runCli.js';

/** The README is an entry page (issue 16, item 8): what the tool does, the two commands, the walk, links. */
const README_MAX_BYTES = 10_240;
/** A bullet or paragraph line longer than this is a wall of text: split it into several. */
const MAX_LINE = 300;

/** The pages written for one reader each. design.md, api-notes.md and toolchain.md are contracts that code cites, kept as they are. */
const READER_PAGES = ['compliance.md', 'operating.md', 'request-files.md', 'simulator.md', 'performance.md', 'contributing.md'];

function longLines(path: string, { tables }: { tables: boolean }): string[] {
  return proseLines(readFileSync(path, 'utf8'))
    .filter(({ text }) => tables || !text.trimStart().startsWith('|'))
    .filter(({ text }) => [...text].length > MAX_LINE)
    .map(({ line, text }) => `${path.slice(REPO_ROOT.length)}:${line} has ${[...text].length} characters`);
}

describe('the README', () => {
  const readme = join(REPO_ROOT, 'README.md');

  test(`is at most ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(readme).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  test(`has no line outside code longer than ${MAX_LINE} characters, tables included`, () => {
    expect(longLines(readme, { tables: true })).toEqual([]);
  });
});

describe('the pages of docs/ for each reader', () => {
  test.each(READER_PAGES)(`%s has no bullet or paragraph line longer than ${MAX_LINE} characters`, (page) => {
    expect(longLines(join(REPO_ROOT, 'docs', page), { tables: false })).toEqual([]);
  });
});
