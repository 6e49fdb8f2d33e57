import { describe, expect, test } from '@jest/globals';
import type { RequestEvent, TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import { evidenceSummary, type EvidenceReport } from '../../src/report/evidenceSummary.js';
import { renderEvidenceHtml } from '../../src/report/renderEvidenceHtml.js';
import { countResolution } from '../../src/report/resolutionCounts.js';
import { requestEvent, RUN_ID, targetEvent, uuid } from '../ledger/ledgerFixtures.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const HOSTILE_ID = '<script>alert("id")</script>';
const HOSTILE_REASON = 'namesake: <img src=x onerror=alert(1)> & "quoted"\nsecond line';
const HOSTILE_REVIEWER = "O'Brien <b>";

function reportOf(requests: RequestEvent[], targets: TargetEvent[] = [], keepReason = HOSTILE_REASON): EvidenceReport {
  const state = emptyLedgerState();
  state.runs.push({ type: 'run', runId: RUN_ID, startedAt: '2026-11-20T08:00:00.000Z', version: '0.1.0', inputs: [], options: {} });
  for (const request of requests) state.requests.set(request.requestId, request);
  for (const target of targets) state.targets.put(target);
  const resolution = countResolution(
    {
      type: 'resolution',
      runId: RUN_ID,
      requestId: HOSTILE_ID,
      targets: [
        { kind: 'conversation', id: uuid(1), evidence: [{ kind: 'message_identifier', matched: ['email#1'] }] },
        {
          kind: 'visitor',
          id: uuid(2),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'conflicting_profile', fields: ['lastName'] },
          decision: { decision: 'keep', decidedBy: HOSTILE_REVIEWER, reason: keepReason },
        },
      ],
    },
    (_kind, id) => state.targets.get('conversation', id)?.status,
  );
  return evidenceSummary({
    ledger: { path: 'out/<ledger>.jsonl', sha256: 'cd'.repeat(32) },
    state,
    resolutions: new Map([[HOSTILE_ID, resolution]]),
    verifyReport: {
      path: 'erasure.verify.csv',
      rows: new Map([[HOSTILE_ID, { result: 'clean', conversationsFound: 0, visitorsFound: 0, reason: '' }]]),
    },
    readBackReport: {
      path: 'erasure.verify.readback.csv',
      rows: new Map([[HOSTILE_ID, { profilesEmpty: 0, conversationsEmpty: 1, notRead: 0, profilesRemaining: 0, conversationsRemaining: 0 }]]),
    },
    nowMs: NOW,
  });
}

function htmlOf(report: EvidenceReport): string {
  return [...renderEvidenceHtml(report)].join('');
}

/** The text of one request's block, found by its id as the page shows it. */
function blockOf(html: string, shownId: string): string {
  const blocks = html.match(/<section class="request[^"]*" id="request-\d+">[\s\S]*?<\/section>/g) ?? [];
  const block = blocks.find((text) => text.includes(`<span class="id">${shownId}</span>`));
  if (block === undefined) throw new Error(`no block for ${shownId}`);
  return block;
}

const REQUESTS = [
  requestEvent(HOSTILE_ID, {
    status: 'completed',
    conversations: 1,
    visitors: 1,
    decidedBy: HOSTILE_REVIEWER,
    decidedAt: '2026-11-21T09:30:00.000Z',
    kept: { conversations: 0, visitors: 1 },
    receivedAt: '2026-11-01T10:00:00.000Z',
  }),
  requestEvent('R-HELD', {
    status: 'needs_review',
    conversations: 3,
    visitors: 2,
    reason: 'reached 2 visitors through message text only',
    receivedAt: '2026-10-01T00:00:00.000Z',
    held: { conversations: 2, visitors: 1, reasons: { over_visitor_guard: 3 } },
    source: { file: 'requests.csv', line: 3 },
  }),
];

describe('renderEvidenceHtml', () => {
  test('every string from a file comes out inert: ids, reasons, reviewers, paths', () => {
    const html = htmlOf(reportOf(REQUESTS, [targetEvent(uuid(1), { status: 'anonymized', requestIds: [HOSTILE_ID] })]));

    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;');
    expect(html).toContain('namesake: &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;\nsecond line');
    expect(html).toContain('O&#39;Brien &lt;b&gt;');
    expect(html).toContain('<code>out/&lt;ledger&gt;.jsonl</code>');
  });

  test('a damaged ledger whose counts are text, or whose reviewer is not a string, cannot carry markup either', () => {
    const damaged = requestEvent('R-BAD', {
      status: 'needs_review',
      conversations: '<i>1</i>' as unknown as number,
      held: { conversations: '<i>2</i>' as unknown as number, visitors: 1, reasons: {} },
      kept: { conversations: 0, visitors: '<i>3</i>' as unknown as number },
      decidedBy: 42 as unknown as string,
    });
    const html = htmlOf(reportOf([damaged], [], 'a namesake'));
    expect(html).not.toContain('<i>');
    const block = blockOf(html, 'R-BAD');
    expect(block).toContain('<dt>Reached</dt><dd>NaN conversations, 0 visitors</dd>');
    expect(block).toContain('<dt>Decided by</dt><dd>42</dd>');
  });

  test("a request's block: status, deadline, evidence counts, what is kept and by whom and why, what verify read back", () => {
    const html = htmlOf(reportOf(REQUESTS, [targetEvent(uuid(1), { status: 'anonymized', requestIds: [HOSTILE_ID] })]));
    const block = blockOf(html, '&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;');

    expect(block).toContain('<span class="status ok">completed</span>');
    expect(block).toContain('<dt>Deadline</dt><dd>2026-12-01 10:00 UTC</dd>');
    expect(block).toContain('<dt>Target events</dt><dd>1 anonymized, 0 already anonymized, 0 failed</dd>');
    // conversations, visitors, then erased, kept, held, failed, not sent
    expect(block).toMatch(
      /<code>message_identifier<\/code><\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">1<\/td>(<td class="n">0<\/td>){4}<\/tr>/,
    );
    expect(block).toMatch(
      /<code>message_search<\/code><\/td><td class="n">0<\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">1<\/td>(<td class="n">0<\/td>){3}<\/tr>/,
    );
    expect(block).toContain('<code>conflicting_profile</code></td><td class="n">1</td>');
    expect(block).toContain('<dt>Kept by decision</dt><dd>0 conversations, 1 visitors, not erased</dd>');
    expect(block).toContain('<dt>Decided by</dt><dd>O&#39;Brien &lt;b&gt;, 2026-11-21 09:30 UTC</dd>');
    expect(block).toContain('Kept 1 target, O&#39;Brien &lt;b&gt; wrote:');
    expect(block).toContain('<span class="status ok">clean</span>');
    expect(block).toContain('<dt>Read back</dt><dd>0 profiles and 1 conversations empty, 0 profiles and 0 conversations remaining, 0 not read</dd>');

    const held = blockOf(html, 'R-HELD');
    expect(held).toContain('<section class="request attention"');
    expect(held).toContain('Needs a person: held for review; past its deadline');
    expect(held).toContain('<dt>Waiting for a decision</dt><dd class="alert">2 conversations, 1 visitors, not erased</dd>');
    expect(held).toContain('Verify: not checked (verify checks completed requests only).');
  });

  test('most urgent first, in the overview and in the blocks', () => {
    const html = htmlOf(reportOf(REQUESTS));
    expect(html.indexOf('<span class="id">R-HELD</span>')).toBeLessThan(html.indexOf('<span class="id">&lt;script&gt;'));
    expect(html.indexOf('href="#request-1">R-HELD</a>')).toBeGreaterThan(0);
  });

  test('self-contained and printable on A4: inline style only, nothing fetched, headers repeated, blocks kept whole', () => {
    const html = htmlOf(reportOf(REQUESTS, [], 'a namesake'));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/https?:|<link|<script|@import|url\(|src=|<iframe|<object/i);
    expect(html).toContain('@page { size: A4; margin: 15mm; }');
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).toMatch(/\.request \{[^}]*break-inside: avoid;/);
    expect(html).toContain('@media print');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  test('the same report gives the same bytes, the generation time from the clock given', () => {
    const html = htmlOf(reportOf(REQUESTS));
    expect(htmlOf(reportOf(REQUESTS))).toBe(html);
    expect(html).toContain('<dt>Generated at</dt><dd>2026-11-24 12:00 UTC</dd>');
    expect(html).toContain(`<dt>SHA-256</dt><dd><code>${'cd'.repeat(32)}</code></dd>`);
    expect(html).toContain(`<td class="id">${RUN_ID}</td><td>run</td><td>2026-11-20 08:00 UTC</td><td><span class="warn">not finished</span></td>`);
  });
});
