import { describe, expect, test } from '@jest/globals';
import { ApiError } from '../../src/api/apiError.js';
import type { IadvizeClient } from '../../src/api/iadvizeClient.js';
import type { ClosedConversationsQueryVariables, ConversationMessagesQueryVariables } from '../../src/generated/graphql.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { createLogger } from '../../src/logging/createLogger.js';
import { planReadBack } from '../../src/verify/planReadBack.js';
import { readBackRequests, type ReadBackOptions } from '../../src/verify/readBackRequests.js';
import { isEmptyProfile } from '../../src/verify/readBackTarget.js';
import type { RequestVerification } from '../../src/verify/verification.js';
import { withReadBack } from '../../src/verify/withReadBack.js';
import { readBackReportLines, readBackReportPathFor } from '../../src/verify/writeReadBackReport.js';
import { targetEvent, uuid } from '../ledger/ledgerFixtures.js';

const INTERVAL = { from: '2024-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' };
const EMPTY_PROFILE = { email: null, phoneNumber: null, firstName: null, lastName: null };

interface FakeAccount {
  /** Visitor id → its profile, read through a conversation of theirs; absent: no conversation to read it by. */
  profiles: Map<string, { email: string | null; phoneNumber: string | null; firstName: string | null; lastName: string | null }>;
  /** Conversation id → how many messages it has left. */
  messages: Map<string, number>;
  /** Target id → the error reading it fails with. */
  errors?: Map<string, ApiError>;
}

/** The two queries read-back sends, answered from memory; every call recorded. */
function fakeClient(account: FakeAccount) {
  const calls: string[] = [];
  const client = {
    async closedConversations(variables: ClosedConversationsQueryVariables) {
      const id = variables.filters!.conversationVisitorIds![0]!;
      calls.push(`visitor:${id}`);
      const error = account.errors?.get(id);
      if (error !== undefined) throw error;
      const profile = account.profiles.get(id);
      const edges = profile === undefined ? [] : [{ node: { conversation: { id: uuid(999), visitor: { id, ...profile } } } }];
      return { edges, pageInfo: { endCursor: null, hasNextPage: false } };
    },
    async conversationMessages(variables: ConversationMessagesQueryVariables) {
      const id = variables.conversationId;
      calls.push(`conversation:${id}`);
      const error = account.errors?.get(id);
      if (error !== undefined) throw error;
      const left = account.messages.get(id);
      const messages = Array.from({ length: Math.min(left ?? 0, variables.first ?? 20) }, (_, n) => ({
        node: { id: `m${n}`, createdAt: INTERVAL.from, text: null, author: null },
      }));
      const edges =
        left === undefined ? [] : [{ node: { conversation: { id, messages: { edges: messages, pageInfo: { endCursor: null, hasNextPage: false } } } } }];
      return { edges };
    },
  };
  return { client: client as unknown as IadvizeClient, calls };
}

function options(client: IadvizeClient, sleep: ReadBackOptions['sleep']): ReadBackOptions {
  return { client, projectIds: [1], window: 2, recheckAfterMs: 7000, sleep, logger: createLogger('silent') };
}

describe('isEmptyProfile', () => {
  test('null, absent and blank fields are empty; any one field with a value is not', () => {
    expect(isEmptyProfile(EMPTY_PROFILE)).toBe(true);
    expect(isEmptyProfile({})).toBe(true);
    expect(isEmptyProfile({ email: '', phoneNumber: '  ', firstName: null })).toBe(true);
    for (const field of ['email', 'phoneNumber', 'firstName', 'lastName'] as const) {
      expect({ field, empty: isEmptyProfile({ ...EMPTY_PROFILE, [field]: 'x' }) }).toEqual({ field, empty: false });
    }
  });
});

describe('readBackRequests', () => {
  test('empty targets are counted, a visitor without a conversation is not read, and nothing waits', async () => {
    const { client, calls } = fakeClient({ profiles: new Map([[uuid(1), EMPTY_PROFILE]]), messages: new Map([[uuid(2), 0]]) });
    const sleeps: number[] = [];

    const readBacks = await readBackRequests(
      [
        {
          requestId: 'R1',
          interval: INTERVAL,
          targets: [
            { kind: 'visitor', id: uuid(1) },
            { kind: 'conversation', id: uuid(2) },
            { kind: 'visitor', id: uuid(3) },
          ],
          found: [],
        },
      ],
      options(client, async (ms) => void sleeps.push(ms)),
    );

    expect(readBacks.get('R1')).toEqual({ profilesEmpty: 1, conversationsEmpty: 1, notRead: 1, remaining: [], cleared: [] });
    expect(sleeps).toEqual([]);
    expect(calls.sort()).toEqual([`conversation:${uuid(2)}`, `visitor:${uuid(1)}`, `visitor:${uuid(3)}`]);
  });

  test('what is not empty is read again after one wait: finished by then it is empty, still there it is remaining', async () => {
    const account: FakeAccount = {
      profiles: new Map([
        [uuid(1), { ...EMPTY_PROFILE, lastName: 'still' }],
        [uuid(3), { ...EMPTY_PROFILE, email: 'still' }],
      ]),
      messages: new Map([[uuid(2), 3]]),
    };
    const { client, calls } = fakeClient(account);
    const sleeps: number[] = [];
    // the anonymization of visitor 1 and conversation 2 ends during the wait; visitor 3's never does
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      account.profiles.set(uuid(1), EMPTY_PROFILE);
      account.messages.set(uuid(2), 0);
    };

    const readBacks = await readBackRequests(
      [
        {
          requestId: 'R1',
          interval: INTERVAL,
          targets: [
            { kind: 'visitor', id: uuid(1) },
            { kind: 'conversation', id: uuid(2) },
          ],
          found: [],
        },
        {
          requestId: 'R2',
          interval: INTERVAL,
          targets: [
            { kind: 'visitor', id: uuid(3) },
            { kind: 'visitor', id: uuid(1) },
          ],
          found: [],
        },
      ],
      options(client, sleep),
    );

    expect(sleeps).toEqual([7000]);
    expect(readBacks.get('R1')).toEqual({ profilesEmpty: 1, conversationsEmpty: 1, notRead: 0, remaining: [], cleared: [] });
    expect(readBacks.get('R2')).toEqual({ profilesEmpty: 1, conversationsEmpty: 0, notRead: 0, remaining: [{ kind: 'visitor', id: uuid(3) }], cleared: [] });
    // shared visitor 1 is read once per pass, not once per request
    expect(calls.filter((call) => call === `visitor:${uuid(1)}`)).toHaveLength(2);
    expect(calls).toHaveLength(6);
  });

  test('a target a search found although the ledger holds it as erased is read only after the wait, and cleared if empty by then', async () => {
    const account: FakeAccount = { profiles: new Map([[uuid(1), { ...EMPTY_PROFILE, email: 'still' }]]), messages: new Map([[uuid(2), 1]]) };
    const { client, calls } = fakeClient(account);
    // the visitor's anonymization ends during the wait; the conversation's never does
    const sleep = async () => {
      expect(calls).toEqual([]);
      account.profiles.set(uuid(1), EMPTY_PROFILE);
    };

    const readBacks = await readBackRequests(
      [
        {
          requestId: 'R1',
          interval: INTERVAL,
          targets: [{ kind: 'visitor', id: uuid(1) }],
          found: [
            { kind: 'visitor', id: uuid(1) },
            { kind: 'conversation', id: uuid(2) },
          ],
        },
      ],
      options(client, sleep),
    );

    expect(readBacks.get('R1')).toEqual({ profilesEmpty: 1, conversationsEmpty: 0, notRead: 0, remaining: [], cleared: [{ kind: 'visitor', id: uuid(1) }] });
    expect(calls.sort()).toEqual([`conversation:${uuid(2)}`, `visitor:${uuid(1)}`]);
  });

  test('an API error leaves the target not read, with its code; a refused token ends verification', async () => {
    const failing = fakeClient({ profiles: new Map(), messages: new Map(), errors: new Map([[uuid(1), new ApiError('retryable', 'HTTP_502', 502)]]) });
    const readBacks = await readBackRequests(
      [{ requestId: 'R1', interval: INTERVAL, targets: [{ kind: 'visitor', id: uuid(1) }], found: [] }],
      options(failing.client, async () => {}),
    );
    expect(readBacks.get('R1')).toEqual({ profilesEmpty: 0, conversationsEmpty: 0, notRead: 1, remaining: [], cleared: [], failedCode: 'HTTP_502' });

    const refused = fakeClient({
      profiles: new Map(),
      messages: new Map(),
      errors: new Map([[uuid(1), new ApiError('unauthorized', 'UNAUTHENTICATED', 401)]]),
    });
    await expect(
      readBackRequests(
        [{ requestId: 'R1', interval: INTERVAL, targets: [{ kind: 'visitor', id: uuid(1) }], found: [] }],
        options(refused.client, async () => {}),
      ),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

const verification = (changes: Partial<RequestVerification> = {}): RequestVerification => ({
  requestId: 'R1',
  source: { file: 'in.csv', line: 2 },
  result: 'clean',
  conversationIds: [],
  visitorIds: [],
  ...changes,
});

describe('withReadBack', () => {
  test('a target still holding data makes a clean request remaining and joins its found ids', () => {
    const merged = withReadBack(verification(), {
      profilesEmpty: 1,
      conversationsEmpty: 0,
      notRead: 0,
      remaining: [
        { kind: 'conversation', id: uuid(5) },
        { kind: 'visitor', id: uuid(4) },
      ],
      cleared: [],
    });
    expect(merged).toMatchObject({ result: 'remaining', conversationIds: [uuid(5)], visitorIds: [uuid(4)], reason: 'read back not empty after the re-check' });
    expect(merged.readBack).toEqual({
      profilesEmpty: 1,
      conversationsEmpty: 0,
      notRead: 0,
      remaining: [
        { kind: 'conversation', id: uuid(5) },
        { kind: 'visitor', id: uuid(4) },
      ],
    });
  });

  test('a target the search found already is not listed twice, and the search result and reason stand', () => {
    const merged = withReadBack(verification({ result: 'remaining', visitorIds: [uuid(4)] }), {
      profilesEmpty: 0,
      conversationsEmpty: 0,
      notRead: 0,
      remaining: [{ kind: 'visitor', id: uuid(4) }],
      cleared: [],
    });
    expect(merged).toMatchObject({ result: 'remaining', visitorIds: [uuid(4)] });
    expect(merged.reason).toBeUndefined();
  });

  test('a found target cleared by the re-check leaves the found ids; none left, the request is clean', () => {
    const merged = withReadBack(verification({ result: 'remaining', visitorIds: [uuid(4)], conversationIds: [uuid(5)] }), {
      profilesEmpty: 1,
      conversationsEmpty: 0,
      notRead: 0,
      remaining: [],
      cleared: [{ kind: 'visitor', id: uuid(4) }],
    });
    expect(merged).toMatchObject({ result: 'remaining', visitorIds: [], conversationIds: [uuid(5)] });

    const settled = withReadBack(verification({ result: 'remaining', visitorIds: [uuid(4)] }), {
      profilesEmpty: 1,
      conversationsEmpty: 0,
      notRead: 0,
      remaining: [],
      cleared: [{ kind: 'visitor', id: uuid(4) }],
    });
    expect(settled).toMatchObject({ result: 'clean', visitorIds: [], reason: 'found at first, read back empty after the re-check' });
  });

  test('a read-back an API error stopped fails a clean request; all empty leaves it clean', () => {
    expect(
      withReadBack(verification(), { profilesEmpty: 0, conversationsEmpty: 0, notRead: 1, remaining: [], cleared: [], failedCode: 'TIMEOUT' }),
    ).toMatchObject({
      result: 'failed',
      reason: 'read-back failed: TIMEOUT',
    });
    expect(withReadBack(verification(), { profilesEmpty: 2, conversationsEmpty: 1, notRead: 0, remaining: [], cleared: [] })).toMatchObject({
      result: 'clean',
    });
    expect(withReadBack(verification(), undefined)).toEqual(verification());
  });
});

describe('planReadBack', () => {
  test("reads back each checked request's targets the ledger holds as done, over its check's interval, and re-checks what its search found of them", () => {
    const targets = new TargetTable();
    targets.put(targetEvent(uuid(1), { kind: 'visitor', status: 'anonymized', requestIds: ['R1', 'R2'] }));
    targets.put(targetEvent(uuid(2), { kind: 'conversation', status: 'already_anonymized', requestIds: ['R1'] }));
    targets.put(targetEvent(uuid(3), { kind: 'conversation', status: 'failed', requestIds: ['R1'] }));
    targets.put(targetEvent(uuid(4), { kind: 'visitor', status: 'anonymized', requestIds: ['R3'] }));
    const checks = new Map(
      ['R1', 'R2', 'R3'].map((requestId) => [
        requestId,
        { requestId, source: { file: 'in.csv', line: 2 }, interval: { ...INTERVAL, from: `2024-0${requestId[1]}-01T00:00:00.000Z` } },
      ]),
    );

    const entries = planReadBack(
      targets,
      [{ checks }],
      [
        verification({ requestId: 'R1' }),
        verification({ requestId: 'R2', result: 'remaining', visitorIds: [uuid(1)], conversationIds: [uuid(3), uuid(9)] }),
        verification({ requestId: 'R3', result: 'failed' }),
        verification({ requestId: 'R4' }),
      ],
    );

    expect(entries).toEqual([
      {
        requestId: 'R1',
        interval: checks.get('R1')!.interval,
        targets: [
          { kind: 'conversation', id: uuid(2) },
          { kind: 'visitor', id: uuid(1) },
        ],
        found: [],
      },
      // found: only what the ledger holds as erased (conversation 3 failed, 9 is unknown to it)
      { requestId: 'R2', interval: checks.get('R2')!.interval, targets: [{ kind: 'visitor', id: uuid(1) }], found: [{ kind: 'visitor', id: uuid(1) }] },
    ]);
  });
});

describe('the read-back report', () => {
  test('one row per request read back, in input order, counts and UUIDs only', () => {
    const lines = readBackReportLines([
      verification({ requestId: 'late', source: { file: 'b.csv', line: 2 }, readBack: { profilesEmpty: 2, conversationsEmpty: 3, notRead: 0, remaining: [] } }),
      verification({ requestId: 'unread', source: { file: 'a.csv', line: 1 }, result: 'not_checked' }),
      verification({
        requestId: 'early',
        source: { file: 'a.csv', line: 3 },
        readBack: { profilesEmpty: 0, conversationsEmpty: 1, notRead: 1, remaining: [{ kind: 'visitor', id: uuid(7) }] },
      }),
    ]);
    expect(lines).toEqual([`early,0,1,1,1,0,visitor:${uuid(7)}\r\n`, 'late,2,3,0,0,0,\r\n']);
  });

  test('its path sits beside the verify report', () => {
    expect(readBackReportPathFor('out/erasure.verify.csv')).toBe('out/erasure.verify.readback.csv');
    expect(readBackReportPathFor('verify.CSV')).toBe('verify.readback.csv');
    expect(readBackReportPathFor('report')).toBe('report.readback.csv');
  });
});
