import { writeFileAtomically } from '../files/writeFileAtomically.js';
import { csvCell } from '../files/csvCell.js';
import type { RequestVerification } from './verification.js';
import { bySource, formatFoundIds } from './writeVerifyReport.js';

export const READ_BACK_REPORT_COLUMNS = [
  'request_id',
  'profiles_empty',
  'conversations_empty',
  'not_read',
  'profiles_remaining',
  'conversations_remaining',
  'remaining_ids',
] as const;

// RFC 4180 with CRLF and a BOM, as the verify report
const HEADER = `\uFEFF${READ_BACK_REPORT_COLUMNS.join(',')}\r\n`;

/** Beside the verify report: `erasure.verify.csv` → `erasure.verify.readback.csv`. */
export function readBackReportPathFor(reportPath: string): string {
  return reportPath.toLowerCase().endsWith('.csv') ? `${reportPath.slice(0, -'.csv'.length)}.readback.csv` : `${reportPath}.readback.csv`;
}

/** One row per request read back, in the verify report's order; counts and UUIDs only. */
export function readBackReportLines(verifications: readonly RequestVerification[]): string[] {
  return verifications
    .filter((verification) => verification.readBack !== undefined)
    .sort(bySource)
    .map(({ requestId, readBack }) => {
      const remaining = readBack!.remaining;
      const conversationIds = remaining.filter((target) => target.kind === 'conversation').map((target) => target.id);
      const visitorIds = remaining.filter((target) => target.kind === 'visitor').map((target) => target.id);
      const cells = [
        requestId,
        String(readBack!.profilesEmpty),
        String(readBack!.conversationsEmpty),
        String(readBack!.notRead),
        String(visitorIds.length),
        String(conversationIds.length),
        formatFoundIds({ conversationIds, visitorIds }),
      ];
      return `${cells.map(csvCell).join(',')}\r\n`;
    });
}

/** Written beside its final path, then renamed into place, as the verify report. */
export async function writeReadBackReport(path: string, verifications: readonly RequestVerification[]): Promise<void> {
  await writeFileAtomically(path, [HEADER, ...readBackReportLines(verifications)]);
}
