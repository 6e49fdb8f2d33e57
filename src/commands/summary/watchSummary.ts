import { join } from 'node:path';
import type { ClientStats } from '../../api/iadvizeClient.js';
import type { Outcome } from '../../outcome/outcome.js';
import { LEDGER_SUFFIX, REPORT_SUFFIX } from '../../watch/claimArtifacts.js';
import type { EndedFile } from '../../watch/endedFile.js';
import { commandOf, shellCommandOf } from './commandLine.js';
import {
  countsOver,
  heldOrNone,
  NO_API_CALLS,
  REQUEST_STATUSES,
  SUMMARY_VERSION,
  TARGET_STATUSES,
  type CommandSummary,
  type NextStep,
  type WatchedFileDetails,
} from './commandSummary.js';
import { plural, pluralVerb, rejectedRowsText } from './wording.js';

/** Next steps the final summary repeats from the files' own; the rest are in each file's line. */
const STEPS_REPEATED = 10;

export interface WatchedFileInput {
  ended: EndedFile;
  exitCode: number;
  /** The calls the file's runs made, and how long they took (what an interrupted file has instead of a summary). */
  api: ClientStats;
  runMs: number;
  /** Lines of the file's rejected requests, from its last run. */
  rejectedLines: number[];
  /** The drop folder's inbox/, where a failed file goes back to be tried again. */
  inbox: string;
}

/** One `file` object per file watch is done with. */
export function summaryOfWatchedFile({ ended, exitCode, api, runMs, rejectedLines, inbox }: WatchedFileInput): CommandSummary {
  const { summary, folder, claimedAs } = ended;
  const result = resultOf(ended);
  const ledger = join(folder, `${claimedAs}${LEDGER_SUFFIX}`);
  const input = ended.inputDeleted ? undefined : join(folder, claimedAs);
  const durationMs = summary === undefined ? runMs : Math.max(0, Date.parse(summary.finishedAt) - Date.parse(summary.startedAt));
  const requests = countsOver(REQUEST_STATUSES, summary?.requests ?? {});
  const next: NextStep[] = [];
  if (result === 'failed') {
    next.push(
      input === undefined
        ? { reason: `${ended.file} failed: drop it again to retry`, command: null }
        : { reason: `${ended.file} failed: put it back into inbox/ to retry`, command: shellCommandOf('mv', input, join(inbox, ended.file)) },
    );
  }
  if (requests.rejected > 0) {
    const rows = rejectedLines.map((line) => ({ file: ended.file, line }));
    next.push({
      reason: `${ended.file}: ${plural(requests.rejected, 'request')} rejected: fix ${rejectedRowsText(rows, requests.rejected)}, then drop it again`,
      command: null,
    });
  }
  if (requests.needs_review > 0) {
    next.push({ reason: `${ended.file}: ${pluralVerb(requests.needs_review, 'request', 'needs', 'need')} a decision`, command: commandOf('review', ledger) });
  }
  if (result === 'done' && requests.completed > 0) next.push({ reason: `${ended.file}: verify it`, command: commandOf('verify', '--ledger', ledger) });
  const details: WatchedFileDetails = {
    name: ended.file,
    claimedAs,
    result,
    duplicateOf: summary?.duplicateOf ?? null,
    error: summary?.error ?? null,
  };
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'file',
    command: 'watch',
    outcome: ended.outcome,
    exitCode,
    durationMs,
    requests,
    targets: countsOver(TARGET_STATUSES, summary?.targets ?? {}),
    held: heldOrNone(summary?.held),
    api,
    files: {
      ...(input !== undefined ? { input } : {}),
      ...(result !== 'duplicate' ? { ledger, report: join(folder, `${claimedAs}${REPORT_SUFFIX}`) } : {}),
      ...(summary !== undefined ? { summary: join(folder, `${claimedAs}.summary.json`) } : {}),
    },
    next,
    stoppedBecause: null,
    file: details,
  };
}

function resultOf({ summary }: EndedFile): WatchedFileDetails['result'] {
  return summary === undefined ? 'interrupted' : summary.outcome;
}

/**
 * What the files watch is done with add up to, kept as it goes: a watcher runs for weeks, so only
 * counts and the first few next steps are kept, not every file's summary.
 */
export class WatchTotals {
  readonly files = { done: 0, failed: 0, duplicate: 0, interrupted: 0 };
  readonly requests = countsOver(REQUEST_STATUSES, {});
  readonly targets = countsOver(TARGET_STATUSES, {});
  readonly held = { conversations: 0, visitors: 0 };
  readonly api: ClientStats = { ...NO_API_CALLS };
  /** Failed files' steps apart, so that they come first however late the file was. */
  private readonly failedSteps: NextStep[] = [];
  private readonly otherSteps: NextStep[] = [];
  private stepsLeftOut = 0;

  add(file: CommandSummary): void {
    if (file.file !== undefined) this.files[file.file.result] += 1;
    addCounts(this.requests, file.requests);
    addCounts(this.targets, file.targets);
    addCounts(this.held, file.held);
    addCounts(this.api, { ...file.api });
    const steps = file.file?.result === 'failed' ? this.failedSteps : this.otherSteps;
    for (const step of file.next) {
      if (this.failedSteps.length + this.otherSteps.length < STEPS_REPEATED) steps.push(step);
      else if (steps === this.failedSteps && this.otherSteps.length > 0) {
        this.otherSteps.pop();
        steps.push(step);
        this.stepsLeftOut += 1;
      } else this.stepsLeftOut += 1;
    }
  }

  nextSteps(): NextStep[] {
    const steps = [...this.failedSteps, ...this.otherSteps];
    if (this.stepsLeftOut > 0) steps.push({ reason: `and ${this.stepsLeftOut} more: each file's line says its own`, command: null });
    return steps;
  }
}

function addCounts<K extends string>(into: Record<K, number>, from: Readonly<Partial<Record<string, number>>>): void {
  for (const key of Object.keys(into) as K[]) into[key] += from[key] ?? 0;
}

export interface WatchSummaryInput {
  totals: WatchTotals;
  outcome: Outcome;
  exitCode: number;
  durationMs: number;
  folder: string;
  again: string;
}

/** The end of `watch`: its files' counts added up, and their next steps, failures first. */
export function summaryOfWatch({ totals, outcome, exitCode, durationMs, folder, again }: WatchSummaryInput): CommandSummary {
  const next = totals.nextSteps();
  if (outcome === 'interrupted' || outcome === 'terminated') {
    next.unshift({ reason: 'stopped: run the same command again; a file left in processing/ is resumed from its ledger', command: again });
  }
  return {
    summaryVersion: SUMMARY_VERSION,
    type: 'summary',
    command: 'watch',
    outcome,
    exitCode,
    durationMs,
    requests: { ...totals.requests },
    targets: { ...totals.targets },
    held: { ...totals.held },
    api: { ...totals.api },
    files: { folder },
    next,
    stoppedBecause: null,
    watch: { files: { ...totals.files } },
  };
}
