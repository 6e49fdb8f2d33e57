import { writeFileAtomically } from '../files/writeFileAtomically.js';
import { csvCell } from '../files/csvCell.js';
import type { RequestVerification } from './verification.js';

export const VERIFY_REPORT_COLUMNS = ['request_id', 'result', 'conversations_found', 'visitors_found', 'found_ids', 'reason'] as const;

/** Enough for a person to start looking; the counts say how many there are in all. */
export const MAX_IDS_SHOWN = 20;

// RFC 4180 with CRLF, and a BOM so spreadsheets read UTF-8 (as the run's report)
const HEADER = `\uFEFF${VERIFY_REPORT_COLUMNS.join(',')}\r\n`;
const ROWS_PER_WRITE = 2000;

/** `conversation:<uuid> visitor:<uuid>`, at most MAX_IDS_SHOWN of them, then how many more. */
export function formatFoundIds(verification: Pick<RequestVerification, 'conversationIds' | 'visitorIds'>): string {
  const ids = [...verification.conversationIds.map((id) => `conversation:${id}`), ...verification.visitorIds.map((id) => `visitor:${id}`)];
  const shown = ids.slice(0, MAX_IDS_SHOWN).join(' ');
  return ids.length > MAX_IDS_SHOWN ? `${shown} (+${ids.length - MAX_IDS_SHOWN} more)` : shown;
}

/** Ordered as in the input files: by file, then line. */
export function verifyReportLines(verifications: readonly RequestVerification[]): string[] {
  return [...verifications].sort(bySource).map((verification) => {
    const cells = [
      verification.requestId,
      verification.result,
      String(verification.conversationIds.length),
      String(verification.visitorIds.length),
      formatFoundIds(verification),
      verification.reason ?? '',
    ];
    return `${cells.map(csvCell).join(',')}\r\n`;
  });
}

/** Written beside its final path, then renamed into place: a crash leaves the old report or the new one. */
export async function writeVerifyReport(path: string, verifications: readonly RequestVerification[]): Promise<void> {
  await writeFileAtomically(path, reportPieces(verifyReportLines(verifications)));
}

function* reportPieces(lines: readonly string[]): Generator<string> {
  yield HEADER;
  for (let start = 0; start < lines.length; start += ROWS_PER_WRITE) yield lines.slice(start, start + ROWS_PER_WRITE).join('');
}

/** By file, then line, then id: the order of the input files. */
export function bySource(a: RequestVerification, b: RequestVerification): number {
  return compareText(a.source.file, b.source.file) || a.source.line - b.source.line || compareText(a.requestId, b.requestId);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
