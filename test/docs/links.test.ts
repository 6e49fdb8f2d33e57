import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { githubSlug, headingAnchors, relativeLinks } from '../helpers/markdownText.js';
import { REPO_ROOT } from '../helpers/runCli.js';

/** The files a reader follows links through: the entry page and every page of docs/. */
function documentationFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(REPO_ROOT, 'docs', name));
  return [join(REPO_ROOT, 'README.md'), ...docs];
}

/** What is wrong with each relative link of a Markdown file at `file`: a missing file, or an anchor no heading gives. */
function brokenLinks(file: string, markdown: string): string[] {
  const broken: string[] = [];
  const where = (line: number) => `${relative(REPO_ROOT, file)}:${line}`;
  for (const link of relativeLinks(markdown)) {
    const target = link.path === '' ? file : join(dirname(file), link.path);
    if (!existsSync(target)) {
      broken.push(`${where(link.line)}: ${link.path} does not exist`);
      continue;
    }
    if (link.anchor === undefined) continue;
    if (statSync(target).isDirectory() || !target.endsWith('.md')) {
      broken.push(`${where(link.line)}: #${link.anchor} points into ${link.path}, which has no headings`);
      continue;
    }
    const anchors = target === file ? headingAnchors(markdown) : headingAnchors(readFileSync(target, 'utf8'));
    if (!anchors.has(link.anchor)) broken.push(`${where(link.line)}: no heading of ${relative(REPO_ROOT, target)} gives #${link.anchor}`);
  }
  return broken;
}

describe('the links of README.md and docs/', () => {
  test('every relative link reaches a file that exists and, for an #anchor, a heading of it', () => {
    const files = documentationFiles();
    expect(files.length).toBeGreaterThan(5);
    const broken = files.flatMap((file) => brokenLinks(file, readFileSync(file, 'utf8')));
    expect(broken).toEqual([]);
  });

  test('the README links to each page of docs/, so that none is an orphan', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(readme).map((link) => link.path));
    const pages = readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.filter((page) => !linked.has(`docs/${page}`))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const file = join(REPO_ROOT, 'docs', 'operating.md');

  test('names a link to a file that does not exist, and one to a heading that does not', () => {
    const markdown = ['# Title', '', 'See [missing](nowhere.md) and [this](#no-such-heading), then [fine](#title).'].join('\n');
    expect(brokenLinks(file, markdown)).toEqual([
      'docs/operating.md:3: nowhere.md does not exist',
      'docs/operating.md:3: no heading of docs/operating.md gives #no-such-heading',
    ]);
  });

  test('follows a link into another file, and takes no link or heading from code', () => {
    const markdown = ['```sh', '# not a heading', 'echo "[x](gone.md)"', '```', 'Read [the README](../README.md#what-it-guarantees), not `[y](gone.md)`.'].join(
      '\n',
    );
    expect(brokenLinks(file, markdown)).toEqual([]);
    expect(brokenLinks(file, '[x](../README.md#not-there)')).toEqual(['docs/operating.md:1: no heading of README.md gives #not-there']);
  });

  test("slugs headings as GitHub does: lowercase, punctuation dropped but '-' and '_', each space a '-'", () => {
    expect(githubSlug('What "everything about this person" means')).toBe('what-everything-about-this-person-means');
    expect(githubSlug('`review <plan | ledger>`')).toBe('review-plan--ledger');
    expect(githubSlug('The evidence report: `report --html`')).toBe('the-evidence-report-report---html');
    expect(githubSlug('Ledger (JSON Lines, append-only)')).toBe('ledger-json-lines-append-only');
    expect(githubSlug('snake_case and Zoé')).toBe('snake_case-and-zoé');
    expect([...headingAnchors('## Notes\n## Notes\n## Notes')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });
});
