import type { Outcome } from '../../outcome/outcome.js';
import type { CommandSummary } from './commandSummary.js';
import { durationText, plural } from './wording.js';

const LABEL_WIDTH = 13;

const OUTCOME_WORDS: Record<Outcome, string> = {
  ok: 'done',
  needs_person: 'done, but some requests need a person',
  failed_targets: 'ended with failures',
  fatal: 'failed',
  interrupted: 'interrupted (SIGINT)',
  terminated: 'terminated (SIGTERM)',
};

const VERIFY_OUTCOME_WORDS: Partial<Record<Outcome, string>> = {
  ok: 'every request checked is clean',
  needs_person: 'some requests could not be checked',
  failed_targets: 'something is still found',
};

/** The summary for a person: a headline, aligned rows of counts and paths, then the next steps with their command lines. */
export function renderSummaryText(summary: CommandSummary): string {
  const special = summary.command === 'verify' ? VERIFY_OUTCOME_WORDS[summary.outcome] : summary.command === 'report' ? 'written' : undefined;
  const words = special ?? OUTCOME_WORDS[summary.outcome];
  const lines = [`${summary.command}: ${words} (exit ${summary.exitCode}, ${durationText(summary.durationMs)})`];
  for (const [label, value] of rowsOf(summary)) lines.push(`  ${label.padEnd(LABEL_WIDTH)}${value}`);
  if (summary.next.length === 0) lines.push('Next: nothing left to do.');
  else {
    lines.push('Next:');
    for (const step of summary.next) {
      lines.push(`  - ${step.reason}`);
      if (step.command !== null) lines.push(`      ${step.command}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line per file watch is done with: what became of it, its counts, and where its ledger is. */
export function renderWatchedFileLine(file: CommandSummary): string {
  const details = file.file;
  if (details === undefined) return renderSummaryText(file);
  const what =
    details.result === 'duplicate'
      ? `duplicate of ${details.duplicateOf ?? 'an earlier file'}, not processed again`
      : [
          `requests ${countsText(file.requests)}`,
          `targets ${targetsText(file.targets) || 'none'}`,
          ...(details.error !== null ? [`error ${details.error}`] : []),
        ].join('; ');
  const ledger = file.files.ledger !== undefined ? `ledger ${file.files.ledger}` : undefined;
  const where = ledger ?? (file.files.summary !== undefined ? `summary ${file.files.summary}` : '');
  return `${details.result.padEnd(LABEL_WIDTH - 1)} ${details.name}: ${what}; ${durationText(file.durationMs)}${where !== '' ? `; ${where}` : ''}\n`;
}

function rowsOf(summary: CommandSummary): [string, string][] {
  const rows: [string, string][] = [];
  if (summary.watch !== undefined) rows.push(['Files', countsText(summary.watch.files)]);
  if (summary.command === 'verify') {
    rows.push(['Verified', countsText(summary.requests)]);
    const notCompleted = countsText(summary.verify?.notCompleted ?? {});
    if (notCompleted !== 'none') rows.push(['Not checked', `${notCompleted} (not completed)`]);
    const { profiles_empty: profiles = 0, conversations_empty: conversations = 0, remaining = 0, not_read: notRead = 0 } = summary.targets;
    rows.push(['Read back', `${profiles} profiles and ${conversations} conversations empty, ${remaining} remaining, ${notRead} not read`]);
    if ((summary.verify?.reopened ?? 0) > 0) rows.push(['Reopened', `${plural(summary.verify!.reopened, 'request')}, recorded as failed in the ledger`]);
  } else {
    rows.push(['Requests', countsText(summary.requests)]);
    rows.push(['Targets', targetsText(summary.targets) || 'none']);
  }
  if (summary.plan !== undefined) {
    const { planned, held } = summary.plan;
    rows.push(['To erase', `${plural(planned.conversations, 'conversation')} and ${plural(planned.visitors, 'visitor')}`]);
    rows.push(['Held', `${plural(held.conversations, 'conversation')} and ${plural(held.visitors, 'visitor')}, for a person's decision`]);
  } else if (summary.held.conversations + summary.held.visitors > 0) {
    const { conversations, visitors } = summary.held;
    rows.push(['Held', `${plural(conversations, 'conversation')} and ${plural(visitors, 'visitor')}, for a person's decision`]);
  }
  if (summary.report !== undefined) {
    const { needingAPerson, overdue, dueSoon } = summary.report;
    rows.push(['For a person', `${plural(needingAPerson, 'request')} (${overdue} overdue, ${dueSoon} due soon)`]);
  }
  if (summary.stoppedBecause !== null) rows.push(['Stopped', summary.stoppedBecause]);
  const { calls, retries, rateLimited } = summary.api;
  if (summary.command !== 'report')
    rows.push(['API', `${plural(calls, 'call')}, ${retries} ${retries === 1 ? 'retry' : 'retries'}, ${rateLimited} rate-limited (429)`]);
  const files = summary.files;
  const fileRows: [string, string | undefined][] = [
    ['Folder', files.folder],
    ['Plan', files.plan],
    ['Ledger', files.ledger],
    ['Report', files.report],
    ['Verify CSV', files.verifyReport],
    ['Read-back', files.readBackReport],
    ['Evidence', files.html],
  ];
  for (const [label, path] of fileRows) if (path !== undefined) rows.push([label, path]);
  return rows;
}

/** "5 completed, 1 needs_review", zeros left out; "none" when all are. */
function countsText(counts: Record<string, number>): string {
  const shown = Object.entries(counts).filter(([, count]) => count > 0);
  return shown.length === 0 ? 'none' : shown.map(([key, count]) => `${count} ${key}`).join(', ');
}

/** "12 targets anonymized, 3 already_anonymized", or '' when there is none. */
function targetsText(counts: Record<string, number>): string {
  const text = countsText(counts);
  return text === 'none' ? '' : text;
}
