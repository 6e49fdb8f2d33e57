import { describe, expect, test } from '@jest/globals';
import { ApiError } from '../../src/api/apiError.js';
import { TargetRegistry, type Anonymize } from '../../src/anonymize/targetRegistry.js';
import type { TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { ScriptedClient, type ScriptedAccount } from '../helpers/scriptedClient.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RUN = 'run-1';

/** A registry whose ledger is an array, and a scripted client to send its mutations. */
function registryOn(account: Partial<ScriptedAccount> = {}, previous?: TargetTable) {
  const recorded: TargetEvent[] = [];
  const client = new ScriptedClient({ visitors: [], conversations: [], ...account });
  const registry = new TargetRegistry(RUN, async (event) => void recorded.push(event), previous);
  const send: Anonymize = (kind, id) => (kind === 'conversation' ? client.anonymizeConversation(id) : client.anonymizeVisitor(id));
  return { registry, recorded, client, send };
}

const sentIds = (client: ScriptedClient) => client.calls.flatMap((call) => ('id' in call && call.phase === 'sent' ? [call.id] : []));

describe('TargetRegistry: one target, several requests', () => {
  test('three requests reaching one conversation at once send it once, and each is credited with it', async () => {
    const { registry, recorded, client, send } = registryOn();
    const requests = ['R1', 'R2', 'R3'];

    const statuses = await Promise.all(requests.map((requestId) => registry.anonymize('conversation', C(1), requestId, send)));

    expect(statuses).toEqual(requests.map(() => 'anonymized'));
    expect(sentIds(client)).toEqual([C(1)]);
    for (const requestId of requests) expect(registry.targetsOf(requestId)).toEqual([{ kind: 'conversation', id: C(1) }]);
    expect(recorded.at(-1)).toMatchObject({ id: C(1), status: 'anonymized', requestIds: requests, attempts: 1 });
  });

  test('a request reaching a target after it was erased is credited on record, without a second mutation', async () => {
    const { registry, recorded, client, send } = registryOn();
    await registry.anonymize('visitor', V(1), 'R1', send);

    expect(await registry.anonymize('visitor', V(1), 'R2', send)).toBe('anonymized');

    expect(sentIds(client)).toEqual([V(1)]);
    expect(recorded.map((event) => event.requestIds)).toEqual([['R1'], ['R1', 'R2']]);
  });

  test('what an earlier run erased is credited to a new request and not sent again', async () => {
    const previous = new TargetTable();
    previous.put({ type: 'target', runId: 'run-0', kind: 'conversation', id: C(1), status: 'already_anonymized', requestIds: ['R0'], attempts: 1 });
    const { registry, recorded, client, send } = registryOn({}, previous);

    expect(await registry.anonymize('conversation', C(1), 'R1', send)).toBe('already_anonymized');

    expect(sentIds(client)).toEqual([]);
    expect(recorded).toEqual([
      { type: 'target', runId: RUN, kind: 'conversation', id: C(1), status: 'already_anonymized', requestIds: ['R0', 'R1'], attempts: 1 },
    ]);
    expect(registry.targetsOf('R0')).toEqual([{ kind: 'conversation', id: C(1) }]);
    expect(registry.targetsOf('R1')).toEqual([{ kind: 'conversation', id: C(1) }]);
  });

  test('a failed target fails the request that sent it; a request reaching it later sends it again', async () => {
    const failure = new ApiError('retryable', 'HTTP_502', 502);
    const { registry, recorded, client, send } = registryOn({ outcomes: { [C(1)]: { status: 'failed', attempts: 6, error: failure } } });

    expect(await registry.anonymize('conversation', C(1), 'R1', send)).toBe('failed');
    expect(recorded.at(-1)).toMatchObject({ status: 'failed', attempts: 6, error: { name: 'HTTP_502' } });

    expect(await registry.anonymize('conversation', C(1), 'R2', send)).toBe('failed');
    expect(sentIds(client)).toEqual([C(1), C(1)]);
    expect(recorded.at(-1)).toMatchObject({ status: 'failed', attempts: 12, requestIds: ['R1', 'R2'] });
  });

  test('the progress counts each target once, however many requests it is credited to', async () => {
    const { registry, send } = registryOn();
    await Promise.all(['R1', 'R2'].flatMap((requestId) => [C(1), C(2)].map((id) => registry.anonymize('conversation', id, requestId, send))));

    expect(registry.progress).toEqual({ total: 2, done: 2 });
  });
});
