import type { Outcome } from '../outcome/outcome.js';
import type { FileSummary } from './fileSummary.js';

/** A file the watcher is done with for now, as the command is told of it (one line of its output per file). */
export interface EndedFile {
  /** The name it was dropped under. */
  file: string;
  claimedAs: string;
  /** How its run ended; `ok` for a duplicate. */
  outcome: Outcome;
  /** Where its input (unless deleted), ledger, report and summary are now: done/, failed/, or processing/ when interrupted. */
  folder: string;
  /** Absent when interrupted: the file stays in processing/ for the next watcher, without a summary. */
  summary?: FileSummary;
  /** Whether the input was deleted (--delete-inputs) rather than moved with its ledger. */
  inputDeleted: boolean;
}
