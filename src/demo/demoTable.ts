import { wrap } from '../commands/helpText.js';
import type { ReportRow } from '../ledger/writeReport.js';
import { scenarioOf } from './demoScenarios.js';

const COUNTS = ['conversations', 'visitors', 'anonymized', 'already_anonymized', 'failed', 'held'] as const;
const HEADINGS: Record<(typeof COUNTS)[number], string> = {
  conversations: 'conv',
  visitors: 'vis',
  anonymized: 'anonymized',
  already_anonymized: 'already',
  failed: 'failed',
  held: 'held',
};
const DETAIL_INDENT = ' '.repeat(10);

/**
 * The report's rows as a table that fits HELP_WIDTH: one line of status, counts and deadline per
 * request, then, indented under it, the scenario it shows and why it ended so.
 */
export function demoTable(rows: readonly ReportRow[]): string[] {
  const cells = rows.map((row) => [row.request_id, row.status, ...COUNTS.map((count) => String(row[count])), deadlineOf(row)]);
  const header = ['request', 'status', ...COUNTS.map((count) => HEADINGS[count]), 'deadline'];
  const widths = header.map((heading, column) => Math.max(heading.length, ...cells.map((line) => line[column]!.length)));
  const numeric = (column: number) => column >= 2 && column < 2 + COUNTS.length;
  const line = (values: string[]) =>
    values
      .map((value, column) => (numeric(column) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width)))];
  rows.forEach((row, index) => {
    lines.push(line(cells[index]!), ...wrap(scenarioOf(row.request_id), DETAIL_INDENT));
    if (row.reason !== '') lines.push(...wrap(`why: ${row.reason}`, DETAIL_INDENT));
  });
  return lines;
}

/** The day the answer is due (one month after receipt), and whether it is near or past. */
function deadlineOf(row: ReportRow): string {
  if (row.deadline === '' || row.deadline === 'unknown') return row.deadline === '' ? 'none' : 'unknown';
  return `${row.deadline.slice(0, 10)}${row.deadline_flag === '' ? '' : ` ${row.deadline_flag}`}`;
}
