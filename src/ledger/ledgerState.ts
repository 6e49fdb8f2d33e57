import type { RequestEvent, RunEvent, SummaryEvent } from './ledgerEvents.js';
import { TargetTable } from './targetTable.js';

/** What a ledger says once replayed: the latest event per target and per request. */
export interface LedgerState {
  runs: RunEvent[];
  /** The last event of each target wins. */
  targets: TargetTable;
  /** Keyed by requestId; the last event wins. */
  requests: Map<string, RequestEvent>;
  summaries: SummaryEvent[];
  /** 1-based numbers of unreadable lines other than a torn last one (the first MAX_CORRUPT_LINES_KEPT). */
  corruptLines: number[];
  /** Events read (lines that parsed to an object with a type). */
  events: number;
  /** Each person digest of the resolution events (ResolutionEvent.identifiers), to the requests that hold it. */
  personDigests: Map<string, string[]>;
}

export const MAX_CORRUPT_LINES_KEPT = 20;

export function emptyLedgerState(): LedgerState {
  return { runs: [], targets: new TargetTable(), requests: new Map(), summaries: [], corruptLines: [], events: 0, personDigests: new Map() };
}
