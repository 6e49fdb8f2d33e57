import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Evidence-based resolution (docs/design.md#evidence) end to end: the built CLI against the
 * simulator's fixture account, where Camille Perrin has a profile, an anonymous second device, a
 * namesake with another e-mail, and a neighbour who named her in a chat of his own.
 */

let dataset: Dataset;
let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  dataset = await loadDataset();
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-identity-'));
});

afterEach(async () => {
  await simulator?.close();
  await rm(workDir, { recursive: true, force: true });
});

const path = (name: string) => join(workDir, name);
type Event = Record<string, unknown>;

async function cli(args: string[], input?: string): Promise<CliResult & { events: Event[]; report: Record<string, string>[] }> {
  if (input !== undefined) await writeFile(path('requests.csv'), input, 'utf8');
  const result = await runCli([...args, '--endpoint', simulator.graphqlUrl], { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' });
  const ledger = await readFile(path('ledger.jsonl'), 'utf8').catch(() => '');
  const events = ledger
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Event);
  const report = parse(await readFile(path('report.csv'), 'utf8').catch(() => ''), { bom: true, columns: true }) as Record<string, string>[];
  return { ...result, events, report };
}

const run = (input: string, extra: string[] = []) =>
  cli(['run', path('requests.csv'), '--ledger', path('ledger.jsonl'), '--report', path('report.csv'), ...extra], input);

const visitorByEmail = (email: string) => dataset.visitors.find((visitor) => visitor.email === email)!.id;
const conversationsOf = (visitorId: string) => dataset.conversations.filter((c) => c.visitorId === visitorId).map((c) => c.id);
const isAnonymized = (kind: 'conversation' | 'visitor', id: string) =>
  (kind === 'conversation' ? simulator.store.conversations : simulator.store.visitors).get(id)?.anonymized === true;
const deviceOfCamille = () => dataset.conversations.find((c) => c.messages.some((m) => m.text.includes('encore moi : camille.perrin@example.fr')))!;
const neighbourChat = () => dataset.conversations.find((c) => c.messages.some((m) => m.text.startsWith('Ma voisine Camille Perrin')))!;

const CAMILLE = `request_id,email,search\nCP-1,camille.perrin@example.fr,Camille Perrin\n`;

describe('a namesake and a neighbour', () => {
  test("are held and never anonymized, while the person's profile, her anonymous device and their chats are erased", async () => {
    simulator = await startSimulator({ dataset });
    const own = visitorByEmail('camille.perrin@example.fr');
    const namesake = visitorByEmail('camille.perrin78@example.net');
    const neighbour = visitorByEmail('marc.dubois@example.com');
    const device = deviceOfCamille().visitorId!;

    const outcome = await run(CAMILLE);

    expect(outcome.code).toBe(2);
    const erased = [own, device];
    for (const visitor of erased) {
      expect(isAnonymized('visitor', visitor)).toBe(true);
      for (const conversation of conversationsOf(visitor)) expect(isAnonymized('conversation', conversation)).toBe(true);
    }
    const held = [namesake, neighbour];
    for (const visitor of held) {
      expect(isAnonymized('visitor', visitor)).toBe(false);
      for (const conversation of conversationsOf(visitor)) expect(isAnonymized('conversation', conversation)).toBe(false);
    }
    const sentTo = new Set(simulator.mutationCalls.map((call) => call.targetId));
    for (const visitor of held) for (const id of [visitor, ...conversationsOf(visitor)]) expect(sentTo.has(id)).toBe(false);

    const request = outcome.events.filter((event) => event.type === 'request').at(-1)!;
    expect(request).toMatchObject({
      status: 'needs_review',
      conversations: 6,
      visitors: 4,
      held: { conversations: 3, visitors: 2, reasons: { conflicting_profile: 5 } },
    });
    expect(request.reason).toBe(
      'held for review: 2 visitors whose profiles name someone else (email, firstName, lastName) and 3 conversations of them; the other 5 targets erased',
    );
    expect(outcome.report).toEqual([expect.objectContaining({ request_id: 'CP-1', status: 'needs_review', anonymized: '5', held: '5' })]);
    expect(outcome.events.filter((event) => event.type === 'summary').at(-1)).toMatchObject({ held: { conversations: 3, visitors: 2 } });
    expect(outcome.stdout).toMatch(/^ {2}Held +3 conversations and 2 visitors, for a person's decision$/m);
  });

  test('the ledger records, per target, its evidence by identifier position and why a held one is held', async () => {
    simulator = await startSimulator({ dataset });
    const own = visitorByEmail('camille.perrin@example.fr');
    const namesake = visitorByEmail('camille.perrin78@example.net');
    const neighbour = visitorByEmail('marc.dubois@example.com');

    const outcome = await run(CAMILLE);

    const resolution = outcome.events.find((event) => event.type === 'resolution')!;
    expect(resolution.requestId).toBe('CP-1');
    const targets = new Map((resolution.targets as Event[]).map((target) => [target.id as string, target]));
    expect(targets.get(own)).toEqual({ kind: 'visitor', id: own, evidence: expect.arrayContaining([{ kind: 'profile_match', matched: ['email#1'] }]) });
    expect(targets.get(deviceOfCamille().visitorId!)).toEqual({
      kind: 'visitor',
      id: deviceOfCamille().visitorId,
      evidence: [{ kind: 'message_identifier', matched: ['email#1'] }],
    });
    expect(targets.get(namesake)).toEqual({
      kind: 'visitor',
      id: namesake,
      evidence: [{ kind: 'message_search', matched: ['search#1'] }],
      held: { reason: 'conflicting_profile', fields: ['email'] },
    });
    expect(targets.get(neighbour)?.held).toEqual({ reason: 'conflicting_profile', fields: ['email', 'firstName', 'lastName'] });
    expect(targets.get(neighbourChat().id)).toEqual({
      kind: 'conversation',
      id: neighbourChat().id,
      visitor: neighbour,
      evidence: [
        { kind: 'message_search', matched: ['search#1'] },
        { kind: 'visitor_conversation', matched: ['search#1'], visitor: neighbour, via: ['message_search'] },
      ],
      held: { reason: 'conflicting_profile', visitor: neighbour },
    });
    // a held target is never put on record as a target to send
    const recordedTargets = new Set(outcome.events.filter((event) => event.type === 'target').map((event) => event.id));
    for (const id of [namesake, neighbour, neighbourChat().id]) expect(recordedTargets.has(id)).toBe(false);
  });

  test('a re-run keeps the held part held, sends nothing again, and --approve then erases exactly the held targets', async () => {
    simulator = await startSimulator({ dataset });
    const held = [visitorByEmail('camille.perrin78@example.net'), visitorByEmail('marc.dubois@example.com')];
    const heldTargets = held.flatMap((visitor) => [visitor, ...conversationsOf(visitor)]);

    await run(CAMILLE);
    const afterFirst = simulator.mutationCalls.length;
    const again = await run(CAMILLE);
    const afterSecond = simulator.mutationCalls.length;
    const released = await run(CAMILLE, ['--approve', 'CP-1']);

    expect(again.code).toBe(2);
    expect(afterSecond).toBe(afterFirst);
    expect(again.events.filter((event) => event.type === 'request').at(-1)).toMatchObject({ status: 'needs_review', held: { conversations: 3, visitors: 2 } });
    expect(released.code).toBe(0);
    expect(
      simulator.mutationCalls
        .slice(afterSecond)
        .map((call) => call.targetId)
        .sort(),
    ).toEqual([...heldTargets].sort());
    expect(released.events.filter((event) => event.type === 'request').at(-1)).toMatchObject({ status: 'completed', approved: true });
  });

  test('plan holds the same part with its evidence; apply erases the rest, and apply --approve the held targets only', async () => {
    simulator = await startSimulator({ dataset });
    const held = [visitorByEmail('camille.perrin78@example.net'), visitorByEmail('marc.dubois@example.com')];
    const heldTargets = held.flatMap((visitor) => [visitor, ...conversationsOf(visitor)]);

    const planned = await cli(['plan', path('requests.csv'), '--out', path('plan.json')], CAMILLE);
    const plan = JSON.parse(await readFile(path('plan.json'), 'utf8')) as { requests: Event[]; counts: Event };
    const entry = plan.requests[0]!;
    const applied = await cli(['apply', path('plan.json'), '--ledger', path('ledger.jsonl'), '--report', path('report.csv')]);
    const erasedByApply = simulator.mutationCalls.map((call) => call.targetId);
    const approved = await cli(['apply', path('plan.json'), '--approve', 'CP-1', '--ledger', path('ledger.jsonl'), '--report', path('report.csv')]);

    expect(planned.code).toBe(2);
    expect(entry.status).toBe('needs_review');
    expect(
      (entry.targets as Event[])
        .filter((target) => target.held !== undefined)
        .map((target) => target.id)
        .sort(),
    ).toEqual([...heldTargets].sort());
    expect(plan.counts).toMatchObject({ planned: { conversations: 3, visitors: 2 }, held: { conversations: 3, visitors: 2 } });
    expect(applied.code).toBe(2);
    expect(erasedByApply).toHaveLength(5);
    for (const id of heldTargets) expect(erasedByApply).not.toContain(id);
    expect(approved.code).toBe(0);
    expect(
      simulator.mutationCalls
        .slice(erasedByApply.length)
        .map((call) => call.targetId)
        .sort(),
    ).toEqual([...heldTargets].sort());
    expect(approved.events.filter((event) => event.type === 'resolution').at(-1)).toMatchObject({ requestId: 'CP-1', approved: true });
  });

  test('nothing a run writes holds a name, e-mail or phone of the people involved, evidence included', async () => {
    simulator = await startSimulator({ dataset });

    const outcome = await run(`request_id,email,phone,search\nCP-1,camille.perrin@example.fr,+33 6 39 98 03 00,Camille Perrin\n`, ['--default-country', 'FR']);

    const names = await readdir(workDir);
    const written = [
      outcome.stdout,
      outcome.stderr,
      ...(await Promise.all(names.filter((name) => name !== 'requests.csv').map((name) => readFile(path(name), 'utf8')))),
    ]
      .join('\n')
      .toLowerCase();
    expect(outcome.events.some((event) => event.type === 'resolution')).toBe(true);
    for (const secret of ['camille', 'perrin', 'marc', 'dubois', 'example.fr', 'example.net', '639980300', '98 03 00', '98.03.00', '98-03-00']) {
      expect({ secret, found: written.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});

describe('phones', () => {
  // 06 39 98: the range ARCEP reserves for fiction
  const SPELLINGS = ['+33639980300', '+33 6 39 98 03 00', '06 39 98 03 00', '06.39.98.03.00', '06-39-98-03-00', '0639980300'];

  test('are searched in every spelling people write, each reaching an anonymous chat; the profile is found by E.164', async () => {
    // One anonymous visitor per spelling, each chat holding only that spelling.
    const chats = SPELLINGS.map((spelling, n) => {
      const id = `7e57a000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const visitorId = `7e57b000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      return {
        visitor: { id: visitorId, projectId: 6949 },
        conversation: { id, projectId: 6949, visitorId, daysAgo: 3, messages: [{ author: 'visitor' as const, text: `Rappelez-moi au ${spelling} svp` }] },
      };
    });
    simulator = await startSimulator({
      dataset: {
        ...dataset,
        visitors: [...dataset.visitors, ...chats.map((chat) => chat.visitor)],
        conversations: [...dataset.conversations, ...chats.map((chat) => chat.conversation)],
      },
    });
    const own = visitorByEmail('camille.perrin@example.fr');

    const outcome = await run(`request_id,phone\nTEL-1,06 39 98 03 00\n`, ['--default-country', 'FR', '--max-visitors-per-request', '10']);

    expect(outcome.code).toBe(0);
    for (const chat of chats) {
      expect({ spelling: SPELLINGS[chats.indexOf(chat)], erased: isAnonymized('conversation', chat.conversation.id) }).toEqual({
        spelling: SPELLINGS[chats.indexOf(chat)],
        erased: true,
      });
    }
    expect(isAnonymized('visitor', own)).toBe(true);
    const resolution = outcome.events.find((event) => event.type === 'resolution')!;
    const ownTarget = (resolution.targets as Event[]).find((target) => target.id === own)!;
    expect(ownTarget.evidence).toContainEqual({ kind: 'profile_match', matched: ['phone#1'] });
  });
});
