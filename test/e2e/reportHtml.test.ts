import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';
import { useSimulator } from '../helpers/simulatorWorkspace.js';

/**
 * `iadvize-erasure report --html` end to end with the built CLI: a run against the simulator,
 * verify, then the evidence report from the files they wrote where they write them by default.
 * The page must agree with the CSVs, name no one, and need nothing from the network.
 */

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-report-html-'));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const path = (name: string) => join(workDir, name);

/** The block of one request, found by its id as the page shows it (escaped). */
function blockOf(html: string, shownId: string): string {
  const blocks = html.match(/<section class="request[^"]*" id="request-\d+">[\s\S]*?<\/section>/g) ?? [];
  const block = blocks.find((text) => text.includes(`<h3><span class="id">${shownId}</span>`));
  if (block === undefined) throw new Error(`no block for ${shownId}`);
  return block;
}

function csvRows(text: string): Record<string, string>[] {
  return parse(text, { bom: true, columns: true }) as Record<string, string>[];
}

/** Per request, from its last resolution event in the ledger: the conversations and visitors of each evidence kind. */
async function reachedByEvidenceKind(ledgerPath: string): Promise<Map<string, Record<string, { conversation: number; visitor: number }>>> {
  type Resolution = { type: string; requestId: string; targets: { kind: 'conversation' | 'visitor'; evidence: { kind: string }[] }[] };
  const events = (await readFile(ledgerPath, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Resolution);
  const byRequest = new Map<string, Record<string, { conversation: number; visitor: number }>>();
  for (const event of events.filter((candidate) => candidate.type === 'resolution')) {
    const kinds: Record<string, { conversation: number; visitor: number }> = {};
    for (const target of event.targets) {
      for (const kind of new Set(target.evidence.map((evidence) => evidence.kind))) (kinds[kind] ??= { conversation: 0, visitor: 0 })[target.kind] += 1;
    }
    byRequest.set(event.requestId, kinds);
  }
  return byRequest;
}

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/https?:|<link|<script|@import|url\(|src=|<iframe|<object/i);
  expect(html).toContain('@page { size: A4; margin: 15mm; }');
  expect(html).toContain('thead { display: table-header-group; }');
}

describe('report --html after a run and verify', () => {
  const account = useSimulator();

  const ALICE = 'alice.marchetti@example.com';
  const CHLOE = 'chloe.roussel@example.org';
  const CHLOE_PHONE = '06 39 98 01 03';
  const CAMILLE = 'camille.perrin@example.fr';
  const CAMILLE_SEARCH = 'Camille Perrin';
  const NOBODY = 'nobody@example.org';
  // CP-1 reaches a namesake and a neighbour: held for review, and past a deadline long gone whatever today is
  const REQUESTS =
    'request_id,email,phone,search,received_at\n' +
    `R-ALICE,${ALICE},,,2026-11-20\n` +
    `R-CHLOE,${CHLOE},${CHLOE_PHONE},,\n` +
    `CP-1,${CAMILLE},,${CAMILLE_SEARCH},2020-01-15\n` +
    `R-NOBODY,${NOBODY},,,\n`;

  /** Every identifier of the request file, in the spellings a leak could take, and what the simulator holds of the people reached. */
  function personalData(): string[] {
    const identifiers = [ALICE, CHLOE, CHLOE_PHONE, '0639980103', '+33639980103', CAMILLE, CAMILLE_SEARCH, 'Perrin', NOBODY, STATIC_TOKEN];
    const people = [ALICE, CHLOE, CAMILLE, '+33639980103'];
    const visitors = account.dataset.visitors.filter((visitor) => people.includes(visitor.email ?? '') || people.includes(visitor.phoneNumber ?? ''));
    const profileFields = visitors.flatMap((visitor) => [visitor.email, visitor.phoneNumber, visitor.firstName, visitor.lastName]);
    const ids = new Set(visitors.map((visitor) => visitor.id));
    const messages = account.dataset.conversations
      .filter((conversation) => ids.has(conversation.visitorId ?? ''))
      .flatMap((conversation) => conversation.messages.map((message) => message.text));
    return [...identifiers, ...profileFields, ...messages].filter((text): text is string => typeof text === 'string' && text.length >= 6);
  }

  test('each request with its status, deadline, evidence counts, what is held, and what verify read back; no personal data, nothing fetched', async () => {
    await writeFile(path('requests.csv'), REQUESTS, 'utf8');
    const credentials = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };
    const ran = await runCli(['run', 'requests.csv', '--endpoint', account.simulator.graphqlUrl, '--default-country', 'FR'], credentials, 60_000, workDir);
    expect(ran.code).toBe(2);
    const verified = await runCli(['verify', '--endpoint', account.simulator.graphqlUrl], { IADVIZE_TOKEN: STATIC_TOKEN }, 60_000, workDir);
    expect(verified.code).toBe(0);

    const reported = await runCli(['report', '--html', 'evidence.html'], {}, 60_000, workDir);

    expect({ code: reported.code, stderr: reported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(reported.stdout).toMatch(/^report: written \(exit 0, \d+\.\d s\)\n/);
    expect(reported.stdout).toMatch(/^ {2}Requests +2 completed, 1 no_match, 1 needs_review$/m);
    expect(reported.stdout).toMatch(/^ {2}For a person +1 request \(1 overdue, \d+ due soon\)$/m);
    expect(reported.stdout).toMatch(/^ {2}Evidence +evidence\.html$/m);
    expect(reported.stdout).toContain('\n      iadvize-erasure review erasure.ledger.jsonl\n');
    const json = await runCli(['report', '--html', 'evidence.html', '--json'], {}, 60_000, workDir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      summaryVersion: 1,
      command: 'report',
      exitCode: 0,
      requests: { completed: 2, no_match: 1, needs_review: 1, rejected: 0, failed: 0, planned: 0 },
      files: { ledger: 'erasure.ledger.jsonl', verifyReport: 'erasure.verify.csv', readBackReport: 'erasure.verify.readback.csv', html: 'evidence.html' },
      report: { needingAPerson: 1, overdue: 1, dueSoon: expect.any(Number) },
      api: { calls: 0, retries: 0, rateLimited: 0 },
    });
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    const html = await readFile(path('evidence.html'), 'utf8');
    const runRows = csvRows(await readFile(path('erasure.report.csv'), 'utf8'));
    const verifyRows = new Map(csvRows(await readFile(path('erasure.verify.csv'), 'utf8')).map((row) => [row.request_id!, row]));
    const readBackRows = new Map(csvRows(await readFile(path('erasure.verify.readback.csv'), 'utf8')).map((row) => [row.request_id!, row]));
    expect(runRows.map((row) => row.request_id).sort()).toEqual(['CP-1', 'R-ALICE', 'R-CHLOE', 'R-NOBODY']);
    // the readback report has rows for erased requests: a page not showing them would fail below
    expect(readBackRows.size).toBeGreaterThan(0);

    for (const row of runRows) {
      const block = blockOf(html, row.request_id!);
      const tone = row.status === 'completed' || row.status === 'no_match' ? 'ok' : 'alert';
      expect({ id: row.request_id, status: block.includes(`<span class="status ${tone}">${row.status}</span></h3>`) }).toEqual({
        id: row.request_id,
        status: true,
      });
      expect(block).toContain(
        `<dt>Target events</dt><dd>${row.anonymized} anonymized, ${row.already_anonymized} already anonymized, ${row.failed} failed</dd>`,
      );
      expect(block).toContain(`<dt>Reached</dt><dd>${row.conversations} conversations, ${row.visitors} visitors</dd>`);
      if (Number(row.conversations) + Number(row.visitors) > 0) {
        // each target once: as many as the request reached, conversations then visitors
        expect(block).toMatch(new RegExp(`<th>Each target once</th><th class="n">${row.conversations}</th><th class="n">${row.visitors}</th>`));
      }
      const verifyRow = verifyRows.get(row.request_id!);
      if (verifyRow !== undefined) {
        expect(block).toContain(`<dt>Result</dt><dd><span class="status ${verifyRow.result === 'clean' ? 'ok' : 'alert'}">${verifyRow.result}</span></dd>`);
      }
      const readBack = readBackRows.get(row.request_id!);
      if (readBack !== undefined) {
        expect(block).toContain(
          `<dt>Read back</dt><dd>${readBack.profiles_empty} profiles and ${readBack.conversations_empty} conversations empty, ` +
            `${readBack.profiles_remaining} profiles and ${readBack.conversations_remaining} conversations remaining, ${readBack.not_read} not read</dd>`,
        );
      }
    }
    expect(verifyRows.get('R-ALICE')?.result).toBe('clean');
    const reachedByKind = await reachedByEvidenceKind(path('erasure.ledger.jsonl'));
    expect(Object.keys(reachedByKind.get('R-ALICE') ?? {})).toContain('profile_match');
    for (const [requestId, kinds] of reachedByKind) {
      for (const [kind, { conversation, visitor }] of Object.entries(kinds)) {
        expect(blockOf(html, requestId)).toContain(`<code>${kind}</code></td><td class="n">${conversation}</td><td class="n">${visitor}</td>`);
      }
    }
    const held = blockOf(html, 'CP-1');
    expect(held).toContain('Needs a person: held for review; past its deadline');
    expect(held).toContain('<dt>Deadline</dt><dd>2020-02-15 00:00 UTC <span class="alert">overdue</span></dd>');
    expect(held).toContain('<code>conflicting_profile</code></td><td class="n">5</td>');
    expect(held).toContain('<dt>Waiting for a decision</dt><dd class="alert">3 conversations, 2 visitors, not erased</dd>');
    // the one that needs a person comes first
    expect(html.indexOf('<h3><span class="id">CP-1</span>')).toBeLessThan(html.indexOf('<h3><span class="id">R-'));
    expect(html).toContain(`<dt>Verify report</dt><dd><code>erasure.verify.csv</code> (${verifyRows.size} rows)</dd>`);

    const written = html.toLowerCase();
    for (const secret of personalData()) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
    expectSelfContained(html);
    // evidence for the officer only: the owner's, as every other output
    expect((await stat(path('evidence.html'))).mode & 0o777).toBe(0o600);
  }, 120_000);
});

describe('report --html on a ledger whose held targets a person decided', () => {
  const RUN_ID = '7f0c2a9e-1d43-4e8b-9a51-0c6b2f3e4d5a';
  const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const HOSTILE_ID = '<script>alert("id")</script>';
  const KEEP_REASON = 'A namesake: same name, another e-mail <b>and</b> town.\nChecked with the ticket.';

  /** Written as the decisions work will write them: ledgerEvents.ts's new fields, set by hand. */
  const LEDGER = [
    { type: 'run', runId: RUN_ID, startedAt: '2026-11-20T08:00:00.000Z', version: '0.1.0', inputs: [], options: {} },
    {
      type: 'resolution',
      runId: RUN_ID,
      requestId: 'DEC-1',
      decidedBy: 'Ana Reviewer',
      decidedAt: '2026-11-21T09:30:00.000Z',
      targets: [
        { kind: 'visitor', id: uuid(1), evidence: [{ kind: 'profile_match', matched: ['email#1'] }] },
        {
          kind: 'visitor',
          id: uuid(2),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'conflicting_profile', fields: ['email'] },
          decision: { decision: 'keep', decidedBy: 'Ana Reviewer', reason: KEEP_REASON },
        },
        {
          kind: 'conversation',
          id: uuid(3),
          evidence: [{ kind: 'message_search', matched: ['search#1'] }],
          held: { reason: 'conflicting_profile', visitor: uuid(2) },
          decision: { decision: 'erase', decidedBy: 'Ana Reviewer' },
        },
      ],
    },
    { type: 'target', runId: RUN_ID, kind: 'conversation', id: uuid(3), status: 'anonymized', requestIds: ['DEC-1'], attempts: 1 },
    { type: 'target', runId: RUN_ID, kind: 'visitor', id: uuid(1), status: 'anonymized', requestIds: ['DEC-1'], attempts: 1 },
    {
      type: 'request',
      runId: RUN_ID,
      requestId: 'DEC-1',
      status: 'completed',
      source: { file: 'requests.csv', line: 2 },
      conversations: 1,
      visitors: 2,
      decidedBy: 'Ana Reviewer',
      decidedAt: '2026-11-21T09:30:00.000Z',
      kept: { conversations: 0, visitors: 1 },
    },
    { type: 'request', runId: RUN_ID, requestId: HOSTILE_ID, status: 'no_match', source: { file: 'requests.csv', line: 3 }, conversations: 0, visitors: 0 },
    {
      type: 'summary',
      runId: RUN_ID,
      finishedAt: '2026-11-21T09:31:00.000Z',
      requests: { completed: 1, no_match: 1 },
      targets: { anonymized: 2 },
      exitCode: 0,
    },
  ];

  test("the kept target, the reviewer and the reviewer's words, escaped; an id from the file is inert", async () => {
    await writeFile(path('decided.jsonl'), `${LEDGER.map((event) => JSON.stringify(event)).join('\n')}\n`, 'utf8');

    const reported = await runCli(['report', '--ledger', 'decided.jsonl', '--html', 'out/evidence.html'], {}, 60_000, workDir);

    expect({ code: reported.code, stderr: reported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(reported.stdout).toMatch(/^ {2}Evidence +out\/evidence\.html$/m);
    expect(reported.stdout).toMatch(/^ {2}Requests +1 completed, 1 no_match$/m);
    const html = await readFile(path('out/evidence.html'), 'utf8');
    const block = blockOf(html, 'DEC-1');
    expect(block).toContain('<dt>Kept by decision</dt><dd>0 conversations, 1 visitors, not erased</dd>');
    expect(block).toContain('<dt>Decisions</dt><dd>1 erase, 1 keep</dd>');
    expect(block).toContain('<dt>Decided by</dt><dd>Ana Reviewer, 2026-11-21 09:30 UTC</dd>');
    expect(block).toContain(
      'Kept 1 target, Ana Reviewer wrote:</p>\n<blockquote class="reason">A namesake: same name, another e-mail &lt;b&gt;and&lt;/b&gt; town.\nChecked with the ticket.</blockquote>',
    );
    // message_search reached 1 conversation and 1 visitor: 1 erased, 1 kept
    expect(block).toMatch(/<code>message_search<\/code><\/td><td class="n">1<\/td><td class="n">1<\/td><td class="n">1<\/td><td class="n">1<\/td>/);
    expect(block).toContain('<code>conflicting_profile</code></td><td class="n">2</td>');
    expect(html).toContain('<h3><span class="id">&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;</span>');
    expect(html).toContain('<dt>Verify report</dt><dd><span class="warn">none given');
    expectSelfContained(html);
  });

  test('without --html, with no ledger, or writing over an input, it is a usage error before anything is written', async () => {
    await writeFile(path('decided.jsonl'), `${LEDGER.map((event) => JSON.stringify(event)).join('\n')}\n`, 'utf8');

    const noOutput = await runCli(['report', '--ledger', 'decided.jsonl'], {}, 60_000, workDir);
    expect(noOutput.code).toBe(1);
    expect(noOutput.stderr).toBe('iadvize-erasure: report needs an output: --html <path>\n');

    const noLedger = await runCli(['report', '--html', 'evidence.html'], {}, 60_000, workDir);
    expect(noLedger.code).toBe(1);
    expect(noLedger.stderr).toBe('iadvize-erasure: no ledger at erasure.ledger.jsonl\n');

    const overLedger = await runCli(['report', '--ledger', 'decided.jsonl', '--html', 'decided.jsonl'], {}, 60_000, workDir);
    expect(overLedger.code).toBe(1);
    expect(overLedger.stderr).toBe('iadvize-erasure: --html must not be one of the files the report reads\n');
    expect(await readFile(path('decided.jsonl'), 'utf8')).toContain('"DEC-1"');
    await expect(stat(path('evidence.html'))).rejects.toThrow(/ENOENT/);
  });
});
