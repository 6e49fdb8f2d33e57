import { jsonElementToRow } from './jsonElementToRow.js';
import type { SourceRow } from './sourceRow.js';

/** Lines longer than this are not kept in memory: they are reported, not parsed. */
export const MAX_NDJSON_LINE_SIZE = 64 * 1024;

/** Reads one JSON object a line as rows, streamed. Blank lines are skipped; a bad line is a row with a problem. */
export async function* readNdjsonRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRow[]> {
  const decoder = new TextDecoder('utf-8');
  let parts: string[] = [];
  let size = 0;
  let line = 1;

  const keep = (text: string) => {
    size += text.length;
    if (size <= MAX_NDJSON_LINE_SIZE) parts.push(text);
    else parts = [];
  };
  const completeLine = (): SourceRow | undefined => {
    const oversized = size > MAX_NDJSON_LINE_SIZE;
    const text = parts.join('');
    const row: SourceRow | undefined = oversized
      ? { line, columns: [], values: [], problems: [`the line is longer than ${MAX_NDJSON_LINE_SIZE / 1024} KiB`] }
      : text.trim() === ''
        ? undefined
        : jsonElementToRow(text, line, 'line');
    parts = [];
    size = 0;
    line++;
    return row;
  };

  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    const rows: SourceRow[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      keep(text.slice(start, newline));
      start = newline + 1;
      const row = completeLine();
      if (row !== undefined) rows.push(row);
    }
    keep(text.slice(start));
    yield rows;
  }
  keep(decoder.decode());
  const last = completeLine();
  if (last !== undefined) yield [last];
}
