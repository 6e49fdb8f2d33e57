import type { RequestStatus } from './ledgerEvents.js';

/** GDPR Art. 12(3): the controller answers "within one month of receipt of the request". */
const WARN_BEFORE_DEADLINE_MS = 7 * 24 * 60 * 60 * 1000;
const SETTLED: ReadonlySet<RequestStatus> = new Set(['completed', 'no_match']);

export type DeadlineFlag = 'overdue' | 'due_soon' | '';

/**
 * One calendar month after receipt, on the same day of the month, or the month's last day when it
 * has no such day (31 January → 28 or 29 February): how EU law counts a period in months
 * (Regulation 1182/71, Art. 3(2)(c)).
 */
export function deadlineOf(receivedAt: string): Date {
  const received = new Date(receivedAt);
  const year = received.getUTCFullYear();
  const month = received.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const deadline = new Date(received.getTime());
  deadline.setUTCDate(1);
  deadline.setUTCMonth(month);
  deadline.setUTCDate(Math.min(received.getUTCDate(), lastDay));
  return deadline;
}

/** A request not settled yet is `overdue` past its deadline, `due_soon` within 7 days of it. */
export function deadlineFlag(status: RequestStatus, receivedAt: string | undefined, nowMs: number): DeadlineFlag {
  if (receivedAt === undefined || SETTLED.has(status)) return '';
  const left = deadlineOf(receivedAt).getTime() - nowMs;
  if (left < 0) return 'overdue';
  return left <= WARN_BEFORE_DEADLINE_MS ? 'due_soon' : '';
}
