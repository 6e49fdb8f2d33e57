import type { RequestEvent, RunEvent, SummaryEvent, TargetEvent } from './ledgerEvents.js';

/** What a ledger says once replayed: the latest event per target and per request. */
export interface LedgerState {
  runs: RunEvent[];
  /** Keyed by targetKey(kind, id); the last event wins. */
  targets: Map<string, TargetEvent>;
  /** Keyed by requestId; the last event wins. */
  requests: Map<string, RequestEvent>;
  summaries: SummaryEvent[];
  /** 1-based numbers of unreadable lines other than a torn last one (the first MAX_CORRUPT_LINES_KEPT). */
  corruptLines: number[];
  /** Events read (lines that parsed to an object with a type). */
  events: number;
}

export const MAX_CORRUPT_LINES_KEPT = 20;

export function emptyLedgerState(): LedgerState {
  return { runs: [], targets: new Map(), requests: new Map(), summaries: [], corruptLines: [], events: 0 };
}
