import type { RequestStatus, TargetStatus } from '../ledger/ledgerEvents.js';
import type { EvidenceKind, HoldReason } from '../ledger/targetEvidence.js';
import { escapeHtml } from './escapeHtml.js';
import type { EvidenceReport, EvidenceTotals, ReportFileOverview, RequestEvidence, RunOverview } from './evidenceSummary.js';
import { EVIDENCE_REPORT_STYLE } from './evidenceReportStyle.js';
import type { ReadBackRow } from './readVerifyReports.js';
import { TARGET_OUTCOMES, type OutcomeCounts, type TargetOutcome } from './resolutionCounts.js';
import type { Concern } from './urgency.js';

const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  named_by_id: 'named by the request (conversation or visitor id)',
  profile_match: "the visitor's profile e-mail or phone is the request's",
  message_identifier: "messages contain the request's e-mail or phone",
  message_search: "messages contain the request's search text only",
  visitor_conversation: 'a conversation of a visitor reached so',
  earlier_run: 'credited to the request by an earlier run',
  other_request: 'the same person, by another request of the ledger',
};

const HOLD_LABELS: Record<HoldReason, string> = {
  conflicting_profile: "reached through message text only, and the visitor's profile names someone else",
  over_visitor_guard: 'reached through message text only, by a request reaching more visitors than the guard allows',
};

const OUTCOME_LABELS: Record<TargetOutcome, string> = { erased: 'Erased', kept: 'Kept', held: 'Held', failed: 'Failed', not_sent: 'Not sent' };

const CONCERN_LABELS: Record<Concern, string> = {
  needs_review: 'held for review',
  failed: 'failed targets: a re-run retries them',
  rejected: 'rejected: its file must be fixed',
  overdue: 'past its deadline',
  verify_remaining: 'verify still found data',
  verify_failed: 'verify could not finish (API error)',
  verify_not_checked: 'verify could not check it',
};

const SETTLED: readonly RequestStatus[] = ['completed', 'no_match'];
const REQUEST_STATUSES: readonly RequestStatus[] = ['needs_review', 'failed', 'rejected', 'planned', 'completed', 'no_match'];
const TARGET_STATUSES: readonly TargetStatus[] = ['anonymized', 'already_anonymized', 'failed', 'planned'];
const REQUESTS_PER_PIECE = 200;

/**
 * The evidence report as one self-contained HTML page, in pieces for writeFileAtomically. Pure:
 * the same report gives the same bytes. Every string from a file goes through escapeHtml.
 */
export function* renderEvidenceHtml(report: EvidenceReport): Generator<string> {
  yield head(report);
  yield overview(report);
  yield `<h2>Per request</h2>\n`;
  for (let start = 0; start < report.requests.length; start += REQUESTS_PER_PIECE) {
    let piece = '';
    for (let index = start; index < Math.min(start + REQUESTS_PER_PIECE, report.requests.length); index += 1) {
      piece += requestBlock(report.requests[index]!, index, report.verifyReport !== undefined);
    }
    yield piece;
  }
  yield `</main>\n</body>\n</html>\n`;
}

function head(report: EvidenceReport): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Erasure evidence: ${escapeHtml(baseName(report.ledger.path))}</title>
<style>${EVIDENCE_REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>Erasure evidence report</h1>
<p class="lead">What the ledger records for each erasure request (GDPR Art. 17): what was erased and why, what was held or kept and by whom, and what verify read back. It holds no personal data of the people erased: request ids, statuses, counts, dates, and the reviewers' names and reasons only.</p>
<dl class="facts">
<dt>Ledger</dt><dd><code>${escapeHtml(report.ledger.path)}</code></dd>
<dt>SHA-256</dt><dd><code>${escapeHtml(report.ledger.sha256)}</code></dd>
<dt>Events</dt><dd>${report.ledger.events}${report.ledger.corruptLines > 0 ? ` <span class="alert">(${report.ledger.corruptLines} unreadable lines skipped)</span>` : ''}</dd>
<dt>Generated at</dt><dd>${instant(report.generatedAt)}</dd>
<dt>Verify report</dt><dd>${reportFile(report.verifyReport, 'none given: this report says nothing of what verify found')}</dd>
<dt>Read-back report</dt><dd>${reportFile(report.readBackReport, 'none given: this report says nothing of what was read back')}</dd>
</dl>
${runsTable(report.runs)}
${totalsTable(report.totals)}
</header>
<main>
`;
}

function reportFile(file: ReportFileOverview | undefined, absent: string): string {
  if (file === undefined) return `<span class="warn">${absent}</span>`;
  const unmatched = file.unmatched > 0 ? ` <span class="alert">${file.unmatched} of them name no request of this ledger</span>` : '';
  return `<code>${escapeHtml(file.path)}</code> (${counted(file.rows, 'row')})${unmatched}`;
}

function runsTable(runs: readonly RunOverview[]): string {
  const rows = runs.map(
    (run) =>
      `<tr><td class="id">${escapeHtml(run.runId)}</td><td>${escapeHtml(run.mode)}</td><td>${instant(run.startedAt)}</td>` +
      `<td>${run.finishedAt === undefined ? '<span class="warn">not finished</span>' : instant(run.finishedAt)}</td>` +
      `<td>${escapeHtml(run.version)}</td><td class="n">${run.exitCode ?? ''}</td></tr>\n`,
  );
  return `<h2>Runs (${runs.length})</h2>
<table class="runs">
<thead><tr><th>Run id</th><th>Mode</th><th>Started</th><th>Finished</th><th>Version</th><th class="n">Exit code</th></tr></thead>
<tbody>
${rows.join('')}</tbody>
</table>`;
}

function totalsTable(totals: EvidenceTotals): string {
  const requestCounts = REQUEST_STATUSES.filter((status) => (totals.requests[status] ?? 0) > 0).map((status) => `${totals.requests[status]} ${status}`);
  const targetCounts = TARGET_STATUSES.filter((status) => (totals.targets[status] ?? 0) > 0).map((status) => `${totals.targets[status]} ${status}`);
  const requests = Object.values(totals.requests).reduce((sum, count) => sum + count, 0);
  const rows = [
    ['Requests', `${requests}${requestCounts.length > 0 ? `: ${requestCounts.join(', ')}` : ''}`],
    ['Targets', targetCounts.length > 0 ? targetCounts.join(', ') : 'none'],
    ['Held for review', `${totals.held} targets`],
    ['Kept by decision', `${totals.kept} targets`],
    ['Deadlines', `${totals.overdue} overdue, ${totals.dueSoon} due within 7 days`],
    ['Need a person now', `<span class="${totals.needingAPerson > 0 ? 'alert' : 'ok'}">${counted(totals.needingAPerson, 'request')}</span>`],
    ['Verify', totals.verify === undefined ? 'no report given' : verifyTotals(totals.verify)],
    ['Read back', totals.readBack === undefined ? 'no report given' : readBackText(totals.readBack)],
  ];
  return `<h2>Totals</h2>
<table class="totals"><tbody>
${rows.map(([name, value]) => `<tr><th scope="row">${name}</th><td>${value}</td></tr>\n`).join('')}</tbody></table>`;
}

function verifyTotals(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'no request of this ledger in it' : entries.map(([result, count]) => `${count} ${escapeHtml(result)}`).join(', ');
}

function readBackText(counts: ReadBackRow): string {
  return (
    `${counts.profilesEmpty} profiles and ${counts.conversationsEmpty} conversations empty, ` +
    `${counts.profilesRemaining} profiles and ${counts.conversationsRemaining} conversations remaining, ${counts.notRead} not read`
  );
}

function overview(report: EvidenceReport): string {
  const rows = report.requests.map((request, index) => {
    const erased = request.targets.anonymized + request.targets.already_anonymized;
    const held = request.held === undefined ? 0 : request.held.conversations + request.held.visitors;
    const kept = request.kept === undefined ? 0 : request.kept.conversations + request.kept.visitors;
    const remaining = request.readBack === undefined ? '' : String(request.readBack.profilesRemaining + request.readBack.conversationsRemaining);
    return (
      `<tr><td class="id"><a href="#${anchorOf(index)}">${escapeHtml(request.requestId)}</a></td><td>${statusBadge(request.status)}</td>` +
      `<td>${deadlineText(request)}</td><td class="n">${erased}</td><td class="n">${request.targets.failed}</td><td class="n">${held}</td><td class="n">${kept}</td>` +
      `<td>${request.verify === undefined ? '' : escapeHtml(request.verify.result)}</td><td class="n">${remaining}</td></tr>\n`
    );
  });
  return `<h2>Requests (${report.requests.length}), most urgent first</h2>
<table class="overview">
<thead><tr><th>Request</th><th>Status</th><th>Deadline</th><th class="n">Erased</th><th class="n">Failed</th><th class="n">Held</th><th class="n">Kept</th><th>Verify</th><th class="n">Remaining</th></tr></thead>
<tbody>
${rows.join('')}</tbody>
</table>
`;
}

function requestBlock(request: RequestEvidence, index: number, verified: boolean): string {
  const attention = request.concerns.length > 0 ? ' attention' : request.deadlineFlag === 'due_soon' ? ' due-soon' : '';
  const concerns =
    request.concerns.length > 0
      ? `<p class="concerns alert">Needs a person: ${request.concerns.map((concern) => CONCERN_LABELS[concern]).join('; ')}</p>\n`
      : '';
  return `<section class="request${attention}" id="${anchorOf(index)}">
<h3><span class="id">${escapeHtml(request.requestId)}</span> ${statusBadge(request.status)}</h3>
${concerns}<dl class="facts">
<dt>Received</dt><dd>${request.receivedAt === '' ? '<span class="muted">not given</span>' : instant(request.receivedAt)}</dd>
<dt>Deadline</dt><dd>${deadlineText(request)}</dd>
${request.reason === '' ? '' : `<dt>Reason</dt><dd>${escapeHtml(request.reason)}</dd>\n`}<dt>Reached</dt><dd>${request.conversations} conversations, ${request.visitors} visitors</dd>
<dt>Target events</dt><dd>${request.targets.anonymized} anonymized, ${request.targets.already_anonymized} already anonymized, ${request.targets.failed} failed</dd>
</dl>
${evidenceTable(request)}${decisionPart(request)}${verifyPart(request, verified)}</section>
`;
}

function evidenceTable(request: RequestEvidence): string {
  const resolution = request.resolution;
  if (resolution === undefined) return `<p class="muted">No resolution recorded: nothing was searched for this request.</p>\n`;
  const known = Object.keys(EVIDENCE_LABELS) as EvidenceKind[];
  // a kind from a later version is shown by its name, after the known ones
  const kinds = [...known, ...(Object.keys(resolution.byEvidence) as EvidenceKind[]).filter((kind) => !known.includes(kind))];
  const rows = kinds.flatMap((kind) => {
    const counts = resolution.byEvidence[kind];
    if (counts === undefined) return [];
    const label = EVIDENCE_LABELS[kind] ?? '';
    return [`<tr><td>${escapeHtml(label)}${label === '' ? '' : ' '}<code>${escapeHtml(kind)}</code></td>${countCells(counts)}</tr>\n`];
  });
  const outcomeHeads = TARGET_OUTCOMES.map((outcome) => `<th class="n">${OUTCOME_LABELS[outcome]}</th>`).join('');
  return `<table class="evidence">
<caption>Targets by evidence (a target reached in several ways counts in each)</caption>
<thead><tr><th>Evidence</th><th class="n">Conversations</th><th class="n">Visitors</th>${outcomeHeads}</tr></thead>
<tbody>
${rows.join('')}</tbody>
<tfoot><tr><th>Each target once</th>${countCells(resolution.targets, 'th')}</tr></tfoot>
</table>
`;
}

function countCells(counts: OutcomeCounts, cell: 'td' | 'th' = 'td'): string {
  return [counts.conversation, counts.visitor, ...TARGET_OUTCOMES.map((outcome) => counts[outcome])]
    .map((count) => `<${cell} class="n">${count}</${cell}>`)
    .join('');
}

function decisionPart(request: RequestEvidence): string {
  const resolution = request.resolution;
  const heldByReason = resolution === undefined ? [] : (Object.entries(resolution.heldByReason) as [HoldReason, number][]);
  const decided = request.decidedBy !== undefined || request.decidedAt !== undefined || request.approved;
  if (heldByReason.length === 0 && request.held === undefined && request.kept === undefined && !decided) return '';
  let html = `<h4>Held and kept</h4>\n`;
  if (heldByReason.length > 0) {
    html += `<table class="held"><thead><tr><th>Held because</th><th class="n">Targets</th></tr></thead><tbody>\n`;
    for (const [reason, count] of heldByReason)
      html += `<tr><td>${escapeHtml(HOLD_LABELS[reason] ?? reason)} <code>${escapeHtml(reason)}</code></td><td class="n">${count}</td></tr>\n`;
    html += `</tbody></table>\n`;
  }
  const facts: string[] = [];
  if (request.held !== undefined) {
    facts.push(
      `<dt>Waiting for a decision</dt><dd class="alert">${request.held.conversations} conversations, ${request.held.visitors} visitors, not erased</dd>`,
    );
  }
  if (request.kept !== undefined)
    facts.push(`<dt>Kept by decision</dt><dd>${request.kept.conversations} conversations, ${request.kept.visitors} visitors, not erased</dd>`);
  if (resolution !== undefined && resolution.decisions.erase + resolution.decisions.keep > 0) {
    facts.push(`<dt>Decisions</dt><dd>${resolution.decisions.erase} erase, ${resolution.decisions.keep} keep</dd>`);
  }
  if (request.approved) facts.push(`<dt>Released</dt><dd>every held target erased (<code>--approve</code>)</dd>`);
  if (decided) {
    const by = request.decidedBy === undefined ? '<span class="warn">not recorded</span>' : escapeHtml(request.decidedBy);
    facts.push(`<dt>Decided by</dt><dd>${by}${request.decidedAt === undefined ? '' : `, ${instant(request.decidedAt)}`}</dd>`);
  }
  if (facts.length > 0) html += `<dl class="facts">\n${facts.join('\n')}\n</dl>\n`;
  for (const keep of resolution?.keepReasons ?? []) {
    html +=
      `<p>Kept ${keep.targets} ${keep.targets === 1 ? 'target' : 'targets'}, ${escapeHtml(keep.decidedBy)} wrote:</p>\n` +
      `<blockquote class="reason">${keep.reason === '' ? '<span class="alert">no reason given</span>' : escapeHtml(keep.reason)}</blockquote>\n`;
  }
  return html;
}

function verifyPart(request: RequestEvidence, verified: boolean): string {
  if (request.verify === undefined && request.readBack === undefined) {
    const why = !verified
      ? 'no verify report given'
      : request.status === 'completed'
        ? 'not in the verify report'
        : 'not checked (verify checks completed requests only)';
    return `<p class="muted">Verify: ${why}.</p>\n`;
  }
  let html = `<h4>Verify</h4>\n<dl class="facts">\n`;
  if (request.verify !== undefined) {
    const { result, conversationsFound, visitorsFound, reason } = request.verify;
    const tone = result === 'clean' ? 'ok' : 'alert';
    html += `<dt>Result</dt><dd><span class="status ${tone}">${escapeHtml(result)}</span></dd>\n`;
    html += `<dt>Still found</dt><dd>${conversationsFound} conversations, ${visitorsFound} visitors</dd>\n`;
    if (reason !== '') html += `<dt>Why</dt><dd>${escapeHtml(reason)}</dd>\n`;
  }
  if (request.readBack !== undefined) html += `<dt>Read back</dt><dd>${readBackText(request.readBack)}</dd>\n`;
  return `${html}</dl>\n`;
}

function statusBadge(status: string): string {
  const tone = SETTLED.includes(status as RequestStatus) ? 'ok' : status === 'planned' ? 'warn' : 'alert';
  return `<span class="status ${tone}">${escapeHtml(status)}</span>`;
}

function deadlineText(request: Pick<RequestEvidence, 'deadline' | 'deadlineFlag'>): string {
  if (request.deadline === '') return '<span class="muted">none (no received_at)</span>';
  if (request.deadline === 'unknown') return '<span class="warn">unknown (received_at unreadable)</span>';
  const flag =
    request.deadlineFlag === 'overdue'
      ? ' <span class="alert">overdue</span>'
      : request.deadlineFlag === 'due_soon'
        ? ' <span class="warn">due soon</span>'
        : '';
  return `${instant(request.deadline)}${flag}`;
}

/** `2026-03-04 09:30 UTC`: the same on every machine, whatever its time zone. */
function instant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeHtml(iso);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function anchorOf(index: number): string {
  return `request-${index + 1}`;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** "1 row", "2 rows". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
