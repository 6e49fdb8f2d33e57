import { describe, expect, test } from '@jest/globals';
import { ApiError } from '../../src/api/apiError.js';
import { decidedPart, eraseTargets, requestEventBase, resolutionEvent, type HeldDecision } from '../../src/anonymize/eraseTargets.js';
import { TargetRegistry } from '../../src/anonymize/targetRegistry.js';
import { targetKey, type TargetEvent } from '../../src/ledger/ledgerEvents.js';
import type { JudgedTarget } from '../../src/ledger/targetEvidence.js';
import { ScriptedClient, type ScriptedAccount, type ScriptedCall } from '../helpers/scriptedClient.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RUN = 'run-1';
const AT = '2026-12-02T10:00:00.000Z';
const BASE = requestEventBase(RUN, { requestId: 'R1', source: { file: 'requests.csv', line: 2 } });

const named = (kind: JudgedTarget['kind'], id: string): JudgedTarget => ({ kind, id, evidence: [{ kind: 'named_by_id', matched: [] }] });
/** Visitors listed before conversations: the order they are sent in must not come from the list. */
const TARGETS: JudgedTarget[] = [
  named('visitor', V(1)),
  named('visitor', V(2)),
  named('conversation', C(1)),
  named('conversation', C(2)),
  named('conversation', C(3)),
];

/** eraseTargets on a scripted client; each ledger record notes how many calls had been made when it was written. */
async function erase(
  targets: readonly JudgedTarget[],
  options: { dryRun?: boolean; release?: boolean; decision?: HeldDecision; account?: Partial<ScriptedAccount> } = {},
) {
  const client = new ScriptedClient({ visitors: [], conversations: [], ...options.account });
  const recorded: { event: TargetEvent; callsBefore: number }[] = [];
  const registry = new TargetRegistry(RUN, async (event) => void recorded.push({ event, callsBefore: client.calls.length }));
  const event = await eraseTargets(
    BASE,
    targets,
    { client: client.asClient(), registry, dryRun: options.dryRun ?? false },
    options.decision !== undefined ? { decision: options.decision } : options.release === true ? { decision: { by: 'Ana Ruiz', at: AT, approved: true } } : {},
  );
  return { client, recorded, event };
}

const mutations = (calls: readonly ScriptedCall[]) => calls.flatMap((call) => ('id' in call ? [call] : []));

describe('eraseTargets', () => {
  test('conversations first: no visitor is sent before every conversation is answered', async () => {
    const { client, event } = await erase(TARGETS);
    const calls = mutations(client.calls);

    const lastConversationAnswer = calls.findLastIndex((call) => call.method === 'anonymizeConversation' && call.phase === 'answered');
    const firstVisitorSent = calls.findIndex((call) => call.method === 'anonymizeVisitor');
    expect(firstVisitorSent).toBeGreaterThan(lastConversationAnswer);
    expect(new Set(calls.filter((call) => call.phase === 'sent').map((call) => call.id))).toEqual(new Set(TARGETS.map((target) => target.id)));
    expect(event).toMatchObject({ requestId: 'R1', status: 'completed', conversations: 3, visitors: 2 });
  });

  test('the conversations are sent together, not one after another', async () => {
    const { client } = await erase(TARGETS);
    const conversations = mutations(client.calls).filter((call) => call.method === 'anonymizeConversation');

    expect(conversations.slice(0, 3).map((call) => call.phase)).toEqual(['sent', 'sent', 'sent']);
  });

  test('every target is on record, credited to the request, before the first mutation is sent', async () => {
    const { recorded } = await erase(TARGETS);
    const beforeAnyCall = recorded.filter((entry) => entry.callsBefore === 0).map((entry) => entry.event);

    expect(beforeAnyCall.map((event) => event.id).sort()).toEqual(TARGETS.map((target) => target.id).sort());
    for (const event of beforeAnyCall) expect(event).toMatchObject({ status: 'planned', requestIds: ['R1'] });
  });

  test('a held target is not sent and the request needs review; released, it is sent too', async () => {
    const held: JudgedTarget = { ...named('visitor', V(3)), held: { reason: 'conflicting_profile', fields: ['email'] } };

    const kept = await erase([...TARGETS, held]);
    expect(mutations(kept.client.calls).some((call) => call.id === V(3))).toBe(false);
    expect(kept.event).toMatchObject({ status: 'needs_review', held: { conversations: 0, visitors: 1, reasons: { conflicting_profile: 1 } } });

    const released = await erase([...TARGETS, held], { release: true });
    expect(mutations(released.client.calls).some((call) => call.id === V(3))).toBe(true);
    expect(released.event.status).toBe('completed');
  });

  test('decided per target: the kept one is not sent, the erased one is, and the event says who decided and how much was kept', async () => {
    const namesake: JudgedTarget = { ...named('visitor', V(3)), held: { reason: 'conflicting_profile', fields: ['email'] } };
    const guarded: JudgedTarget = { ...named('conversation', C(9)), held: { reason: 'over_visitor_guard' } };
    const decision: HeldDecision = {
      by: 'Ana Ruiz',
      at: AT,
      targets: new Map([
        [targetKey('visitor', V(3)), { decision: 'keep', decidedBy: 'Ana Ruiz', reason: 'another person of that name' }],
        [targetKey('conversation', C(9)), { decision: 'erase', decidedBy: 'Ana Ruiz' }],
      ]),
    };

    const { client, event } = await erase([...TARGETS, namesake, guarded], { decision });

    const sent = mutations(client.calls).map((call) => call.id);
    expect(sent).toContain(C(9));
    expect(sent).not.toContain(V(3));
    expect(event).toMatchObject({ status: 'completed', decidedBy: 'Ana Ruiz', decidedAt: AT, kept: { conversations: 0, visitors: 1 } });
    expect(event.held).toBeUndefined();
    expect(decidedPart(decision, [...TARGETS, namesake, guarded])).toBe('decided by Ana Ruiz: 1 held target erased, 1 kept');
    const resolution = resolutionEvent('run-1', 'R1', [...TARGETS, namesake, guarded], decision);
    expect(resolution.targets.find((target) => target.id === V(3))?.decision).toEqual({
      decision: 'keep',
      decidedBy: 'Ana Ruiz',
      reason: 'another person of that name',
    });
    expect(resolution.targets.filter((target) => target.decision !== undefined)).toHaveLength(2);
  });

  test('a failed conversation fails the request, and its visitors are still sent', async () => {
    const failure = new ApiError('retryable', 'HTTP_502', 502);
    const { client, event } = await erase(TARGETS, { account: { outcomes: { [C(2)]: { status: 'failed', attempts: 6, error: failure } } } });

    expect(event.status).toBe('failed');
    expect(event.reason).toBe(`1 of ${TARGETS.length} targets failed; a re-run retries them`);
    expect(mutations(client.calls).filter((call) => call.method === 'anonymizeVisitor' && call.phase === 'sent')).toHaveLength(2);
  });

  test('a dry run sends nothing and plans every target', async () => {
    const { client, recorded, event } = await erase(TARGETS, { dryRun: true });

    expect(client.calls).toEqual([]);
    expect(event.status).toBe('planned');
    expect(recorded.map((entry) => entry.event.status)).toEqual(TARGETS.map(() => 'planned'));
  });

  test('when one mutation ends the run, the request waits for its other mutations in flight before it ends', async () => {
    // The run writes its summary once every request has ended: a mutation still in flight then
    // put its target's event after the summary (a SIGTERM test saw it once under load).
    const stopped = new ApiError('stopped', 'STOPPED');
    const client = new ScriptedClient({ visitors: [], conversations: [], throws: { [C(1)]: stopped }, delays: { [C(2)]: 5 } });
    const recorded: TargetEvent[] = [];
    const registry = new TargetRegistry(RUN, async (event) => void recorded.push(event));

    const outcome = await eraseTargets(BASE, TARGETS, { client: client.asClient(), registry, dryRun: false }, {}).catch((error: unknown) => error);

    expect(outcome).toBe(stopped);
    // what the slow mutation answered is on record by the time the request has ended
    expect(recorded.filter((event) => event.id === C(2)).map((event) => event.status)).toEqual(['planned', 'anonymized']);
  });
});
