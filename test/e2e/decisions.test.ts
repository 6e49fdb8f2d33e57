import { describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readHeldSubject } from '../../src/decisions/heldSubject.js';
import { DECISIONS_FORMAT, type DecisionsFile, type DecidedTarget } from '../../src/decisions/decisionsFile.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { useSimulatorWorkspace } from '../helpers/simulatorWorkspace.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Per-target decisions end to end (issue 15 item 3): the built CLI against the simulator's fixture
 * account, where a request for Camille Perrin holds a namesake and a neighbour who named her.
 * The reviewer keeps the namesake and the neighbour's own profile, and erases the neighbour's chat
 * that speaks of her.
 */

const space = useSimulatorWorkspace('decisions');

type Event = Record<string, unknown>;
const path = (name: string) => join(space.workDir, name);
const ENV = () => ({ IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' });
const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--endpoint', space.simulator.graphqlUrl], ENV());
const CAMILLE = `request_id,email,search,received_at\nCP-1,camille.perrin@example.fr,Camille Perrin,2026-11-20\n`;
const REVIEWER = 'Ana Ruiz';
const NAMESAKE_REASON = 'another Camille Perrin: other e-mail, other town';
const NEIGHBOUR_REASON = "the neighbour's own profile: he is not the person";

const visitorByEmail = (email: string) => space.dataset.visitors.find((visitor) => visitor.email === email)!.id;
const conversationsOf = (visitorId: string) => space.dataset.conversations.filter((c) => c.visitorId === visitorId).map((c) => c.id);
const isAnonymized = (kind: 'conversation' | 'visitor', id: string) =>
  (kind === 'conversation' ? space.simulator.store.conversations : space.simulator.store.visitors).get(id)?.anonymized === true;
const namesake = () => visitorByEmail('camille.perrin78@example.net');
const neighbour = () => visitorByEmail('marc.dubois@example.com');

async function events(ledger: string): Promise<Event[]> {
  return (await readFile(ledger, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Event);
}

async function report(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
}

/** Keep the namesake (profile and chats) and the neighbour's profile; erase the rest of what is held. */
function reviewerDecides(held: { kind: 'conversation' | 'visitor'; id: string }[]): DecidedTarget[] {
  const keptNamesake = new Set([namesake(), ...conversationsOf(namesake())]);
  return held.map(({ kind, id }) => {
    if (keptNamesake.has(id)) return { kind, id, decision: 'keep', reason: NAMESAKE_REASON };
    if (id === neighbour()) return { kind, id, decision: 'keep', reason: NEIGHBOUR_REASON };
    return { kind, id, decision: 'erase' };
  });
}

function heldTargetsOf(resolution: Event): { kind: 'conversation' | 'visitor'; id: string }[] {
  return (resolution.targets as Event[])
    .filter((target) => target.held !== undefined)
    .map((target) => ({ kind: target.kind as 'conversation' | 'visitor', id: target.id as string }));
}

async function ledgerDecisions(ledger: string): Promise<DecisionsFile> {
  const all = await events(ledger);
  const request = all.filter((event) => event.type === 'request' && event.requestId === 'CP-1').at(-1)!;
  const resolution = all.filter((event) => event.type === 'resolution' && event.runId === request.runId).at(-1)!;
  return {
    format: DECISIONS_FORMAT,
    subject: { kind: 'ledger', file: ledger, resolvedIn: { 'CP-1': request.runId as string } },
    requests: [{ requestId: 'CP-1', reviewer: REVIEWER, decidedAt: '2026-12-02T09:30:00.000Z', targets: reviewerDecides(heldTargetsOf(resolution)) }],
  };
}

function expectDecidedState(): void {
  for (const id of [namesake(), ...conversationsOf(namesake())]) expect(isAnonymized(id === namesake() ? 'visitor' : 'conversation', id)).toBe(false);
  expect(isAnonymized('visitor', neighbour())).toBe(false);
  for (const id of conversationsOf(neighbour())) expect(isAnonymized('conversation', id)).toBe(true);
}

describe('apply <ledger> --decisions', () => {
  test('erases exactly the targets decided erase, keeps the others, and the ledger says who decided what and why', async () => {
    const ledger = path('erasure.ledger.jsonl');
    await writeFile(path('requests.csv'), CAMILLE, 'utf8');
    const held = await cli(['run', path('requests.csv'), '--ledger', ledger, '--report', path('erasure.report.csv')]);
    expect(held.code).toBe(2);
    // what the review page is given: the held request, its input found by SHA-256, and what the ledger sent so far
    const subject = await readHeldSubject(ledger);
    expect(subject.requests.map((request) => request.requestId)).toEqual(['CP-1']);
    expect(subject.requests[0]!.input).toEqual({ file: path('requests.csv'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const statuses = subject.requests[0]!.targetStatuses!;
    for (const target of subject.requests[0]!.targets) {
      expect({ id: target.id, status: statuses[`${target.kind}:${target.id}`] }).toEqual({
        id: target.id,
        status: target.held === undefined ? 'anonymized' : undefined,
      });
    }
    const sentBefore = space.simulator.mutationCalls.length;
    await writeFile(path('erasure.decisions.json'), JSON.stringify(await ledgerDecisions(ledger)), 'utf8');

    const applied = await cli(['apply', ledger, '--decisions', path('erasure.decisions.json')]);

    expect(applied.code).toBe(0);
    expect(space.simulator.mutationCalls.slice(sentBefore).map((call) => call.targetId)).toEqual(conversationsOf(neighbour()));
    expectDecidedState();
    const all = await events(ledger);
    const run = all.filter((event) => event.type === 'run').at(-1)!;
    expect(run).toMatchObject({ heldIn: ledger, decisions: { file: path('erasure.decisions.json'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const request = all.filter((event) => event.type === 'request').at(-1)!;
    const keptConversations = conversationsOf(namesake()).length;
    expect(request).toMatchObject({
      runId: run.runId,
      status: 'completed',
      decidedBy: REVIEWER,
      decidedAt: '2026-12-02T09:30:00.000Z',
      kept: { conversations: keptConversations, visitors: 2 },
      receivedAt: '2026-11-20T00:00:00.000Z',
    });
    expect(request.reason).toMatch(
      new RegExp(`decided by ${REVIEWER}: ${conversationsOf(neighbour()).length} held targets? erased, ${keptConversations + 2} kept$`),
    );
    const resolution = all.filter((event) => event.type === 'resolution').at(-1)!;
    expect(resolution).toMatchObject({ runId: run.runId, decidedBy: REVIEWER });
    const decisionOf = (id: string) => (resolution.targets as Event[]).find((target) => target.id === id)!.decision;
    expect(decisionOf(namesake())).toEqual({ decision: 'keep', decidedBy: REVIEWER, reason: NAMESAKE_REASON });
    expect(decisionOf(neighbour())).toEqual({ decision: 'keep', decidedBy: REVIEWER, reason: NEIGHBOUR_REASON });
    expect(decisionOf(conversationsOf(neighbour())[0]!)).toEqual({ decision: 'erase', decidedBy: REVIEWER });
    expect(await report(path('erasure.report.csv'))).toEqual([
      expect.objectContaining({ request_id: 'CP-1', status: 'completed', decided_by: REVIEWER, kept: String(keptConversations + 2), held: '0' }),
    ]);

    // verify finds the kept namesake again, as decided: not counted as remaining
    const verified = await cli(['verify', '--ledger', ledger, '--report', path('verify.csv')]);
    expect(verified.code).toBe(0);
    expect(await report(path('verify.csv'))).toEqual([
      expect.objectContaining({ request_id: 'CP-1', result: 'clean', reason: expect.stringMatching(/^\d+ found kept by a person's decision, not counted$/) }),
    ]);
  });

  test('a decisions file that leaves a held target undecided is refused whole, naming the request and the target, and nothing is sent', async () => {
    const ledger = path('erasure.ledger.jsonl');
    await writeFile(path('requests.csv'), CAMILLE, 'utf8');
    await cli(['run', path('requests.csv'), '--ledger', ledger, '--report', path('erasure.report.csv')]);
    const sentBefore = space.simulator.mutationCalls.length;
    const decisions = await ledgerDecisions(ledger);
    const dropped = decisions.requests[0]!.targets.pop()!;
    await writeFile(path('partial.json'), JSON.stringify(decisions), 'utf8');

    const refused = await cli(['apply', ledger, '--decisions', path('partial.json')]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`request CP-1: held target ${dropped.kind}:${dropped.id} has no decision`);
    expect(space.simulator.mutationCalls.length).toBe(sentBefore);
    expect((await events(ledger)).filter((event) => event.type === 'run')).toHaveLength(1);
  });

  test('a keep without a reason is refused', async () => {
    const ledger = path('erasure.ledger.jsonl');
    await writeFile(path('requests.csv'), CAMILLE, 'utf8');
    await cli(['run', path('requests.csv'), '--ledger', ledger, '--report', path('erasure.report.csv')]);
    const decisions = await ledgerDecisions(ledger);
    const keep = decisions.requests[0]!.targets.find((target) => target.decision === 'keep')!;
    delete keep.reason;
    await writeFile(path('no-reason.json'), JSON.stringify(decisions), 'utf8');

    const refused = await cli(['apply', ledger, '--decisions', path('no-reason.json')]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/request #1: target #\d+: a keep needs a reason/);
  });

  test('--approve on a ledger erases every held target and records who approved', async () => {
    const ledger = path('erasure.ledger.jsonl');
    await writeFile(path('requests.csv'), CAMILLE, 'utf8');
    await cli(['run', path('requests.csv'), '--ledger', ledger, '--report', path('erasure.report.csv')]);

    const approved = await cli(['apply', ledger, '--approve', 'CP-1', '--reviewer', REVIEWER]);

    expect(approved.code).toBe(0);
    for (const id of [namesake(), neighbour()]) expect(isAnonymized('visitor', id)).toBe(true);
    const all = await events(ledger);
    expect(all.filter((event) => event.type === 'run').at(-1)).toMatchObject({ approved: ['CP-1'], approvedBy: REVIEWER });
    expect(all.filter((event) => event.type === 'request').at(-1)).toMatchObject({ status: 'completed', approved: true, decidedBy: REVIEWER });
    expect((await report(path('erasure.report.csv')))[0]).toMatchObject({ decided_by: REVIEWER, kept: '0' });
  });
});

describe('apply <plan> --decisions', () => {
  test('executes the plan with its held targets decided, and verify checks the result', async () => {
    await writeFile(path('requests.csv'), CAMILLE, 'utf8');
    expect((await cli(['plan', path('requests.csv'), '--out', path('plan.json')])).code).toBe(2);
    const plan = JSON.parse(await readFile(path('plan.json'), 'utf8')) as { planId: string; requests: Event[] };
    const { createHash } = await import('node:crypto');
    const decisions: DecisionsFile = {
      format: DECISIONS_FORMAT,
      subject: {
        kind: 'plan',
        file: path('plan.json'),
        planId: plan.planId,
        sha256: createHash('sha256')
          .update(await readFile(path('plan.json')))
          .digest('hex'),
      },
      requests: [{ requestId: 'CP-1', reviewer: REVIEWER, decidedAt: '2026-12-02T09:30:00.000Z', targets: reviewerDecides(heldTargetsOf(plan.requests[0]!)) }],
    };
    await writeFile(path('plan.decisions.json'), JSON.stringify(decisions), 'utf8');
    const ledger = path('erasure.ledger.jsonl');

    const applied = await cli(['apply', path('plan.json'), '--decisions', path('plan.decisions.json'), '--ledger', ledger, '--report', path('report.csv')]);

    expect(applied.code).toBe(0);
    expectDecidedState();
    expect(isAnonymized('visitor', visitorByEmail('camille.perrin@example.fr'))).toBe(true);
    expect((await events(ledger)).filter((event) => event.type === 'request').at(-1)).toMatchObject({ status: 'completed', decidedBy: REVIEWER });
    const verified = await cli(['verify', '--ledger', ledger, '--report', path('verify.csv')]);
    expect(verified.code).toBe(0);
    expect((await report(path('verify.csv')))[0]).toMatchObject({ result: 'clean' });
  });
});

describe('a file the drop folder processed', () => {
  test('is decided in its own ledger in done/: its report and summary say so, and verify finds its input beside it', async () => {
    await mkdir(path('inbox'), { recursive: true });
    await writeFile(path('inbox/camille.csv'), CAMILLE, 'utf8');
    const watched = await runCli(['watch', space.workDir, '--once', '--endpoint', space.simulator.graphqlUrl], ENV());
    expect(watched.code).toBe(2);
    const done = await readdir(path('done'));
    const ledgerName = done.find((name) => name.endsWith('.ledger.jsonl'))!;
    const prefix = ledgerName.slice(0, -'.ledger.jsonl'.length);
    const ledger = path(`done/${ledgerName}`);
    await writeFile(path('decisions.json'), JSON.stringify(await ledgerDecisions(ledger)), 'utf8');

    const applied = await cli(['apply', ledger, '--decisions', path('decisions.json')]);

    expect(applied.code).toBe(0);
    expectDecidedState();
    expect(await report(path(`done/${prefix}.report.csv`))).toEqual([
      expect.objectContaining({ request_id: 'CP-1', status: 'completed', decided_by: REVIEWER, source: `${path(`done/${prefix}`)}:2` }),
    ]);
    const summary = JSON.parse(await readFile(path(`done/${prefix}.summary.json`), 'utf8')) as Event;
    expect(summary).toMatchObject({ requests: { completed: 1 }, decided: { exitCode: 0 } });
    expect(summary.held).toBeUndefined();
    const verified = await cli(['verify', '--ledger', ledger, '--report', path('verify.csv')]);
    expect(verified.code).toBe(0);
    expect((await report(path('verify.csv')))[0]).toMatchObject({ result: 'clean' });
  });
});
