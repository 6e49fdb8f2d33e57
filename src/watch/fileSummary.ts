import type { RequestStatus, TargetStatus } from '../ledger/ledgerEvents.js';
import type { FileOutcome } from './processedIndex.js';

/** `<name>.summary.json`: counts and times only, never a row of the file. */
export interface FileSummary {
  /** The name the file was dropped under. */
  file: string;
  /** Its name in processing/, done/ or failed/, and the prefix of its ledger and report. */
  claimedAs: string;
  /** Of the content the runs processed: the whole file, also when it was still being written when claimed. */
  sha256: string;
  outcome: FileOutcome;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  requests: Partial<Record<RequestStatus, number>>;
  targets: Partial<Record<TargetStatus, number>>;
  /** Targets held for a person's decision in the file's `needs_review` requests; absent when none is. */
  held?: { conversations: number; visitors: number };
  /** Set on a duplicate: the name of the earlier file with the same content. */
  duplicateOf?: string;
  /** Set when the run ended on an error: its name only. */
  error?: string;
  /** How many runs the file took, when more than one: it changed during a run, which then ran again on the new content. */
  runs?: number;
  /** Said in the log too: e.g. a file without any request. */
  warnings?: string[];
  /** Set once held requests of the file were decided in its ledger (apply <ledger>): the latest such run; the counts above are the ledger's since. */
  decided?: { runId: string; at: string; exitCode: number };
  /** Set when this run took the file over from a watcher that stopped mid-way (a crash), resuming its ledger. */
  recovered?: true;
}
