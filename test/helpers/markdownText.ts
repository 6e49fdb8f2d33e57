/** A line of a Markdown file outside its fenced code blocks, with its 1-based number. */
export interface ProseLine {
  line: number;
  text: string;
}

/** A relative link of a Markdown file: its path part (empty for `#anchor` alone) and its anchor, if any. */
export interface RelativeLink {
  line: number;
  path: string;
  anchor: string | undefined;
}

/** One fenced code block: its 1-based first line, its info string (`sh`), and its lines. */
export interface CodeBlock {
  line: number;
  info: string;
  lines: string[];
}

const FENCE = /^\s*(```|~~~)(.*)$/;

/** The lines outside fenced code blocks: a `#` in a shell block is no heading, a `](` in one no link. */
export function proseLines(markdown: string): ProseLine[] {
  const prose: ProseLine[] = [];
  let inFence = false;
  markdown.split('\n').forEach((text, index) => {
    if (FENCE.test(text)) {
      inFence = !inFence;
      return;
    }
    if (!inFence) prose.push({ line: index + 1, text });
  });
  return prose;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: CodeBlock | undefined;
  markdown.split('\n').forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (fence !== null) {
      if (open === undefined) open = { line: index + 1, info: fence[2]!.trim(), lines: [] };
      else {
        blocks.push(open);
        open = undefined;
      }
      return;
    }
    open?.lines.push(text);
  });
  return blocks;
}

/**
 * The anchor GitHub gives a heading's text: its rendered text lowercased, every character that is
 * not a letter, a digit, a space, '-' or '_' dropped, then each space turned into '-'.
 */
export function githubSlug(heading: string): string {
  // in a code span, `<plan | ledger>` is text; outside one, a tag renders as nothing
  const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`|<[^>]+>/g, (_tag, code: string | undefined) => code ?? '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file's headings give, a repeated heading getting `-1`, `-2`… as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading === null) continue;
    const slug = githubSlug(heading[1]!);
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return anchors;
}

/** The links `[text](target)` outside code that point inside the repository: not a URL with a scheme, not mail. */
export function relativeLinks(markdown: string): RelativeLink[] {
  const links: RelativeLink[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const withoutCode = text.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const hash = target.indexOf('#');
      links.push({
        line,
        path: hash < 0 ? target : target.slice(0, hash),
        anchor: hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1)),
      });
    }
  }
  return links;
}
