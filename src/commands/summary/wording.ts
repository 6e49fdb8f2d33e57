/** "1 request", "3 requests". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "2 requests need", "1 request needs". */
export function pluralVerb(count: number, noun: string, singular: string, pluralForm: string): string {
  return `${plural(count, noun)} ${count === 1 ? singular : pluralForm}`;
}

const ROWS_SHOWN = 5;

/** "line 4 of requests.csv", "lines 2, 9 of a.csv and line 3 of b.csv", "… and 12 more (the report lists them)". */
export function rejectedRowsText(rows: readonly { file: string; line: number }[], total: number): string {
  const shown = rows.slice(0, ROWS_SHOWN);
  if (shown.length === 0) return 'the rows the report marks rejected';
  const byFile = new Map<string, number[]>();
  for (const { file, line } of shown) byFile.set(file, [...(byFile.get(file) ?? []), line]);
  const parts = [...byFile].map(([file, lines]) => `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')} of ${file}`);
  const more = total - shown.length;
  return `${parts.join(' and ')}${more > 0 ? ` and ${more} more (the report lists them)` : ''}`;
}

/** "0.4 s", "12 s", "3 min 5 s". */
export function durationText(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
