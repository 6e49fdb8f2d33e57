/** A stretch of a text, [start, end) in UTF-16 code units, as String.slice and the page count. */
export type TextRange = [start: number, end: number];

/**
 * Where any of the needles occurs in the text, case-insensitively, merged and in order. Matched on
 * the text itself (a regular expression with the `i` and `u` flags), not on a lower-cased copy whose
 * length can differ ("İ" lower-cases to two code units), so the ranges fit the text as shown.
 */
export function matchRanges(text: string, needles: readonly string[]): TextRange[] {
  const found: TextRange[] = [];
  for (const needle of needles) {
    if (needle.trim() === '') continue;
    for (const match of text.matchAll(new RegExp(escapeRegExp(needle), 'giu'))) found.push([match.index, match.index + match[0].length]);
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: TextRange[] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

export interface Excerpt {
  text: string;
  /** The matches, relative to `text`. */
  ranges: TextRange[];
  /** Text was left out before or after the excerpt. */
  cutBefore: boolean;
  cutAfter: boolean;
}

/**
 * A bounded excerpt of a message around its matches: the whole message when it is short, else
 * `context` characters either side of the first match to the last one that fits in `maxLength`.
 */
export function excerptAround(text: string, ranges: readonly TextRange[], context = 80, maxLength = 400): Excerpt {
  if (text.length <= maxLength || ranges.length === 0) {
    const end = Math.min(text.length, maxLength);
    return {
      text: text.slice(0, end),
      ranges: ranges.filter(([start]) => start < end).map(([start, stop]) => [start, Math.min(stop, end)]),
      cutBefore: false,
      cutAfter: end < text.length,
    };
  }
  const start = Math.max(0, ranges[0]![0] - context);
  const end = Math.min(text.length, start + maxLength, Math.max(ranges.at(-1)![1], ranges[0]![1]) + context);
  const kept = ranges.filter(([from]) => from < end).map(([from, to]): TextRange => [from - start, Math.min(to, end) - start]);
  return { text: text.slice(start, end), ranges: kept, cutBefore: start > 0, cutAfter: end < text.length };
}

function escapeRegExp(text: string): string {
  // only the characters the `u` flag lets be escaped: "\-" is a syntax error there
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
