import { describe, expect, test } from '@jest/globals';
import { firstRound, LOOKUPS_PER_CALL, SEARCHES_PER_CALL } from '../../src/resolve/firstRound.js';
import { ScriptedClient, type ScriptedAccount } from '../helpers/scriptedClient.js';

const C = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const V = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROJECT = 101;
const INTERVAL = { from: '2023-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };

/** Conversation n says "word <n>" (and conversations 1-5 all say "shared"); visitor n has e-mail n@example.org and phone +3363998030n. */
const ACCOUNT: ScriptedAccount = {
  visitors: Array.from({ length: 6 }, (_, n) => ({
    id: V(n),
    projectId: PROJECT,
    email: `${n}@example.org`,
    phoneNumber: `+3363998030${n}`,
    firstName: null,
    lastName: null,
  })),
  conversations: Array.from({ length: 12 }, (_, n) => ({
    id: C(n),
    projectId: PROJECT,
    visitorId: V(n % 6),
    createdAt: '2025-06-01T10:00:00Z',
    messages: [`word <${n}>`, ...(n >= 1 && n <= 5 ? ['shared'] : [])],
  })),
};

describe('firstRound', () => {
  test('searches and lookups go in one call, and each result comes back in the order asked', async () => {
    const client = new ScriptedClient(ACCOUNT);
    const results = await firstRound(client.asClient(), INTERVAL, [PROJECT], {
      texts: ['<3>', '<10>'],
      emails: [{ projectId: PROJECT, email: '2@example.org' }],
      phones: [{ projectId: PROJECT, phoneNumber: '+33639980305' }],
    });
    expect(client.callsOf('resolutionSearches')).toHaveLength(1);
    expect(results.texts.map((nodes) => nodes.map((node) => node.conversation.id))).toEqual([[C(3)], [C(10)]]);
    expect(results.emails.map((nodes) => nodes.map((node) => node.id))).toEqual([[V(2)]]);
    expect(results.phones.map((nodes) => nodes.map((node) => node.id))).toEqual([[V(5)]]);
  });

  test('more searches or lookups than one call carries go in as many calls as the largest kind needs', async () => {
    const client = new ScriptedClient(ACCOUNT);
    const texts = Array.from({ length: SEARCHES_PER_CALL + 2 }, (_, n) => `word <${n}>`);
    const emails = Array.from({ length: 2 * LOOKUPS_PER_CALL + 1 }, (_, n) => ({ projectId: PROJECT, email: `${n % 6}@example.org` }));
    const results = await firstRound(client.asClient(), INTERVAL, [PROJECT], { texts, emails, phones: [] });
    expect(client.callsOf('resolutionSearches')).toHaveLength(3);
    expect(results.texts.map((nodes) => nodes.map((node) => node.conversation.id))).toEqual(texts.map((_, n) => [C(n)]));
    expect(results.emails.map((nodes) => nodes.map((node) => node.id))).toEqual(emails.map((_, n) => [V(n % 6)]));
  });

  test('a field with more than one page goes on from its cursor with the single operation, and only that one', async () => {
    const client = new ScriptedClient({ ...ACCOUNT, pageSize: 2 });
    const results = await firstRound(client.asClient(), INTERVAL, [PROJECT], { texts: ['shared', '<7>'], emails: [], phones: [] });
    expect(results.texts[0]!.map((node) => node.conversation.id).sort()).toEqual([C(1), C(2), C(3), C(4), C(5)]);
    expect(results.texts[1]!.map((node) => node.conversation.id)).toEqual([C(7)]);
    const follows = client.callsOf('closedConversations').filter((call) => call.variables.after != null);
    // one field asked for the first page inside the batch; its pages 2 and 3 followed alone
    expect(follows.map((call) => call.variables.filters?.messagesSearches)).toEqual([['shared'], ['shared']]);
  });

  test('nothing to search: no call', async () => {
    const client = new ScriptedClient(ACCOUNT);
    expect(await firstRound(client.asClient(), INTERVAL, [PROJECT], { texts: [], emails: [], phones: [] })).toEqual({ texts: [], emails: [], phones: [] });
    expect(client.calls).toEqual([]);
  });
});
