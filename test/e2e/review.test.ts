import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { rawRequest, startReview, type ReviewSession } from '../helpers/reviewCli.js';
import { runCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * `iadvize-erasure review` end to end (docs/design.md#review): the built CLI serving the page of a
 * run's ledger against the simulator's fixture account, driven over HTTP as the page's script does.
 * Three requests are held: Marc Dubois's and Camille Perrin's (each meets the other's namesakes
 * through the search "Camille Perrin"), and a search for "Perrin" alone whose file gives no date.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;
let review: ReviewSession | undefined;

const REQUESTS =
  'request_id,email,search,received_at\n' +
  'CP-1,camille.perrin@example.fr,Camille Perrin,2026-11-20\n' +
  'MD-1,marc.dubois@example.com,Camille Perrin,2026-11-10\n' +
  'NN-1,,Perrin,\n';

const path = (name: string) => join(workDir, name);
const env = () => ({ IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' });

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-review-'));
});

afterEach(async () => {
  await review?.stop();
  review = undefined;
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

async function heldRun(requests = REQUESTS): Promise<string> {
  await writeFile(path('requests.csv'), requests, 'utf8');
  const ran = await runCli(
    ['run', path('requests.csv'), '--ledger', path('erasure.ledger.jsonl'), '--report', path('report.csv'), '--endpoint', simulator.graphqlUrl],
    env(),
  );
  expect(ran.code).toBe(requests === REQUESTS ? 2 : 0);
  return path('erasure.ledger.jsonl');
}

async function reviewOf(subject: string, extra: string[] = []): Promise<ReviewSession> {
  review = await startReview([subject, '--endpoint', simulator.graphqlUrl, ...extra], env());
  return review;
}

/** As the page's script calls the server: the secret in the header. */
async function api(session: ReviewSession, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(`${session.origin}${path}`, {
    method,
    headers: { 'X-Review-Secret': session.secret, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

interface ListedRequest {
  requestId: string;
  deadline?: string;
  targets: { kind: string; id: string; held?: { reason: string } }[];
}

describe('review <plan>', () => {
  test('lists the held requests of a plan, saves the decisions beside it, bound to the plan by id and SHA-256, and applies them to the --ledger given', async () => {
    await writeFile(path('requests.csv'), REQUESTS, 'utf8');
    const planned = await runCli(['plan', path('requests.csv'), '--out', path('plan.json'), '--endpoint', simulator.graphqlUrl], env());
    expect(planned.code).toBe(2);
    const session = await reviewOf(path('plan.json'), ['--ledger', path('applied.ledger.jsonl'), '--report', path('applied.report.csv')]);

    const listed = (await api(session, 'GET', '/api/requests')).json as { subject: { kind: string }; requests: ListedRequest[] };
    const cp1 = listed.requests.find((request) => request.requestId === 'CP-1')!;
    const held = cp1.targets.filter((target) => target.held !== undefined);
    const opened = await api(session, 'GET', '/api/requests/CP-1');
    const saved = await api(session, 'POST', '/api/decisions', {
      reviewer: 'Reviewer One',
      requests: [{ requestId: 'CP-1', targets: held.map((target) => ({ kind: target.kind, id: target.id, decision: 'erase' })) }],
    });

    expect(listed.subject.kind).toBe('plan');
    expect(listed.requests.map((request) => request.requestId)).toEqual(['MD-1', 'CP-1', 'NN-1']);
    expect(opened.status).toBe(200);
    expect(saved.status).toBe(200);
    const plan = JSON.parse(await readFile(path('plan.json'), 'utf8')) as { planId: string };
    const decisions = JSON.parse(await readFile(path('plan.decisions.json'), 'utf8')) as Record<string, unknown>;
    expect(decisions).toMatchObject({
      format: 'iadvize-erasure-decisions/1',
      subject: { kind: 'plan', file: path('plan.json'), planId: plan.planId, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      requests: [{ requestId: 'CP-1', reviewer: 'Reviewer One', targets: held.map((target) => ({ kind: target.kind, id: target.id, decision: 'erase' })) }],
    });

    const applied = await api(session, 'POST', '/api/apply', {});
    expect(applied.status).toBe(200);
    const ledger = (await readFile(path('applied.ledger.jsonl'), 'utf8')).split('\n').filter((line) => line !== '');
    const cp1Event = ledger
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((event) => event.type === 'request' && event.requestId === 'CP-1');
    expect(cp1Event.at(-1)).toMatchObject({ status: 'completed', decidedBy: 'Reviewer One' });
    expect(await readFile(path('applied.report.csv'), 'utf8')).toContain('CP-1,completed');
  });

  test('a second save adds to the first: the decisions saved earlier for another request are kept', async () => {
    const session = await reviewOf(await heldRun());
    const listed = (await api(session, 'GET', '/api/requests')).json as { requests: ListedRequest[] };
    const erasing = (requestId: string) => ({
      requestId,
      targets: listed.requests
        .find((request) => request.requestId === requestId)!
        .targets.filter((target) => target.held !== undefined)
        .map((target) => ({ kind: target.kind, id: target.id, decision: 'erase' })),
    });

    expect((await api(session, 'POST', '/api/decisions', { reviewer: 'Reviewer One', requests: [erasing('CP-1')] })).status).toBe(200);
    expect((await api(session, 'POST', '/api/decisions', { reviewer: 'Reviewer Two', requests: [erasing('MD-1')] })).status).toBe(200);

    const saved = JSON.parse(await readFile(path('erasure.decisions.json'), 'utf8')) as { requests: { requestId: string; reviewer: string }[] };
    expect(saved.requests.map(({ requestId, reviewer }) => ({ requestId, reviewer }))).toEqual([
      { requestId: 'CP-1', reviewer: 'Reviewer One' },
      { requestId: 'MD-1', reviewer: 'Reviewer Two' },
    ]);
  });

  test('refuses to save a keep without a reason, naming the target, and writes nothing', async () => {
    const session = await reviewOf(await heldRun());
    const listed = (await api(session, 'GET', '/api/requests')).json as { requests: ListedRequest[] };
    const held = listed.requests.find((request) => request.requestId === 'CP-1')!.targets.filter((target) => target.held !== undefined);

    const refused = await api(session, 'POST', '/api/decisions', {
      reviewer: 'Reviewer One',
      requests: [{ requestId: 'CP-1', targets: held.map((target) => ({ kind: target.kind, id: target.id, decision: 'keep' })) }],
    });

    expect(refused.status).toBe(400);
    expect((refused.json as { error: string }).error).toContain(held[0]!.id);
    expect(await readdir(workDir)).not.toContain('erasure.decisions.json');
  });
});

describe('review <ledger>', () => {
  test('answers 403 to every request without the secret, with a wrong one, or to another Host, and to a POST whose secret is only in the URL', async () => {
    const session = await reviewOf(await heldRun());
    const { port, secret } = session;
    const host = { Host: `127.0.0.1:${port}` };

    for (const target of ['/', '/api/requests', '/api/requests/CP-1', '/nothing']) {
      expect({ target, status: (await rawRequest(port, 'GET', target, host)).status }).toEqual({ target, status: 403 });
      expect({ target, status: (await rawRequest(port, 'GET', `${target}?s=not-the-secret`, host)).status }).toEqual({ target, status: 403 });
    }
    const post = { ...host, 'Content-Type': 'application/json' };
    for (const target of ['/api/decisions', '/api/apply']) {
      expect((await rawRequest(port, 'POST', `${target}?s=${secret}`, post, '{}')).status).toBe(403);
      expect((await rawRequest(port, 'POST', target, { ...post, 'X-Review-Secret': 'wrong' }, '{}')).status).toBe(403);
    }
    // DNS rebinding: a page of another site whose name now points at 127.0.0.1
    expect((await rawRequest(port, 'GET', `/?s=${secret}`, { Host: `attacker.example:${port}` })).status).toBe(403);
    expect((await rawRequest(port, 'GET', '/api/requests', { Host: `attacker.example:${port}`, 'X-Review-Secret': secret })).status).toBe(403);
    // the same requests with the secret where it belongs are served: the 403s above are the guard's
    expect((await rawRequest(port, 'GET', `/?s=${secret}`, host)).status).toBe(200);
    expect((await rawRequest(port, 'GET', `/?s=${secret}`, { Host: `localhost:${port}` })).status).toBe(200);
    expect((await rawRequest(port, 'POST', '/api/decisions', { ...post, 'X-Review-Secret': secret }, '{}')).status).toBe(400);
  });

  test('listens on 127.0.0.1 only and prints one line: the URL with its secret', async () => {
    const session = await reviewOf(await heldRun());

    expect(session.url.hostname).toBe('127.0.0.1');
    expect(session.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.output().stdout.trim().split('\n')).toEqual([`Review 3 held requests at ${session.url.href}`]);
    const stopped = await session.stop();
    review = undefined;
    expect(stopped.code).toBe(0);
  });

  test('sends every response, refusals included, with no-store, a strict CSP and its nonce on the inline script and style only', async () => {
    const session = await reviewOf(await heldRun());
    const page = await fetch(session.url);
    const html = await page.text();
    const listed = await api(session, 'GET', '/api/requests');
    const refused = await fetch(`${session.origin}/api/requests`);

    for (const headers of [page.headers, listed.headers, refused.headers]) {
      expect(headers.get('cache-control')).toBe('no-store');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      const csp = headers.get('content-security-policy')!;
      for (const directive of [
        "default-src 'none'",
        "connect-src 'self'",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    }
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get('content-security-policy')!)![1]!;
    expect(page.headers.get('content-security-policy')).toContain(`style-src 'nonce-${nonce}'`);
    expect([...html.matchAll(/<(script|style)\b([^>]*)>/g)].map((match) => [match[1], match[2]!.trim()])).toEqual([
      ['style', `nonce="${nonce}"`],
      ['script', `nonce="${nonce}"`],
    ]);
    // self-contained: nothing to load from anywhere
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(/);
    expect(html).not.toMatch(/https?:\/\//);
    const again = await fetch(session.url);
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
  });

  test('lists the held requests most urgent deadline first, an unknown deadline last', async () => {
    const session = await reviewOf(await heldRun());

    const listed = (await api(session, 'GET', '/api/requests')).json as { requests: ListedRequest[] };

    expect(listed.requests.map((request) => [request.requestId, request.deadline?.slice(0, 10)])).toEqual([
      ['MD-1', '2026-12-10'],
      ['CP-1', '2026-12-20'],
      ['NN-1', undefined],
    ]);
    expect(listed.requests.every((request) => request.targets.some((target) => target.held !== undefined))).toBe(true);
  });

  test("shows a held request's identifiers from its file, its targets read live, and marks the conflicting field and the matched text", async () => {
    const session = await reviewOf(await heldRun());
    const namesake = dataset.visitors.find((visitor) => visitor.email === 'camille.perrin78@example.net')!;
    const namesakeChat = dataset.conversations.find(
      (conversation) => conversation.visitorId === namesake.id && conversation.messages.some((m) => /camille perrin/i.test(m.text)),
    )!;

    const details = (await api(session, 'GET', '/api/requests/CP-1')).json as {
      identifiers: { emails: string[]; searches: string[] };
      targets: {
        kind: string;
        id: string;
        held?: { reason: string; fields?: string[] };
        profile?: Record<string, string | null>;
        conversations?: { id: string; createdAt: string; projectId: number }[];
        conversation?: { createdAt: string; projectId: number; matches: { text: string; ranges: [number, number][] }[] };
      }[];
    };

    expect(details.identifiers).toMatchObject({ emails: ['camille.perrin@example.fr'], searches: ['Camille Perrin'] });
    const visitor = details.targets.find((target) => target.id === namesake.id)!;
    expect(visitor.held).toEqual({ reason: 'conflicting_profile', fields: ['email'] });
    expect(visitor.profile).toMatchObject({ email: 'camille.perrin78@example.net', firstName: namesake.firstName, lastName: namesake.lastName });
    expect(visitor.conversations?.map((conversation) => conversation.id).sort()).toEqual(
      dataset.conversations
        .filter((conversation) => conversation.visitorId === namesake.id)
        .map((conversation) => conversation.id)
        .sort(),
    );
    const chat = details.targets.find((target) => target.id === namesakeChat.id)!;
    expect(chat.conversation?.projectId).toBe(namesakeChat.projectId);
    expect(Date.parse(chat.conversation!.createdAt)).toBe(simulator.store.conversations.get(namesakeChat.id)!.createdAtMs);
    const match = chat.conversation!.matches[0]!;
    expect(match.ranges.map(([start, end]) => match.text.slice(start, end).toLowerCase())).toEqual(['camille perrin']);
    expect(namesakeChat.messages.map((message) => message.text)).toContain(match.text);
  });

  test('after a session through the API, nothing it showed (names, e-mails, messages) is in any file written or in the output', async () => {
    const ledger = await heldRun();
    const session = await reviewOf(ledger);
    const listed = (await api(session, 'GET', '/api/requests')).json as { requests: ListedRequest[] };
    const shown: string[] = [];
    for (const request of listed.requests) {
      const opened = await api(session, 'GET', `/api/requests/${encodeURIComponent(request.requestId)}`);
      expect(opened.status).toBe(200);
      shown.push(JSON.stringify(opened.json));
    }
    const cp1 = listed.requests.find((request) => request.requestId === 'CP-1')!;
    const decisions = {
      reviewer: 'Reviewer One',
      requests: [
        {
          requestId: 'CP-1',
          targets: cp1.targets
            .filter((target) => target.held !== undefined)
            .map((target) => ({ kind: target.kind, id: target.id, decision: 'keep', reason: 'not the same person' })),
        },
      ],
    };
    const saved = await api(session, 'POST', '/api/decisions', decisions);
    expect(saved.status).toBe(200);
    const applied = await api(session, 'POST', '/api/apply', {});
    expect(applied.status).toBe(200);
    const ended = await session.stop();
    review = undefined;

    // what was shown holds the data this test looks for: the scan below can fail
    const shownText = shown.join('\n').toLowerCase();
    const values = ['camille.perrin78@example.net', 'camille', 'perrin', 'marc', 'dubois', 'example.fr', 'example.com', 'return my shoes'];
    for (const value of values) expect({ value, shown: shownText.includes(value) }).toEqual({ value, shown: true });
    const names = (await readdir(workDir)).filter((name) => name !== 'requests.csv');
    expect(names).toContain('erasure.decisions.json');
    const written = [ended.stdout, ended.stderr, ...(await Promise.all(names.map((name) => readFile(path(name), 'utf8'))))].join('\n').toLowerCase();
    for (const value of values) expect({ value, written: written.includes(value) }).toEqual({ value, written: false });
    expect(ended.code).toBe(0);
  });

  test('says so and exits 0 without serving when nothing needs a decision', async () => {
    const ledger = await heldRun('request_id,email\nNB-1,nobody@nowhere.example\n');

    const result = await runCli(['review', ledger, '--endpoint', simulator.graphqlUrl], env());

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^No request of .+ needs a decision\.\n$/);
    expect(result.stdout).not.toContain('http://');
  });
});
