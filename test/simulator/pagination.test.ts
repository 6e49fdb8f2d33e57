import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ClosedConversationAnonymizeDocument,
  ClosedConversationsDocument,
  VisitorsDocument,
  type ClosedConversationsQuery,
  type ClosedConversationsQueryVariables,
  type VisitorsQuery,
} from '../../src/generated/graphql.js';
import { generateDataset } from '../../src/simulator/generateDataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { clientErrorOf, clientFor, lastThreeYears } from '../helpers/simulatorClient.js';

const VISITORS = 260;
const CONVERSATIONS_PER_VISITOR = 2;
const PROJECT = 6949;
// Everything generated lies within 1000 days; this interval holds it all.
const EVERYTHING = lastThreeYears();

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({
    dataset: generateDataset({ seed: 7, projectIds: [PROJECT], visitors: VISITORS, conversationsPerVisitor: CONVERSATIONS_PER_VISITOR }),
  });
});

afterAll(async () => {
  await simulator.close();
});

type Variables = Omit<ClosedConversationsQueryVariables, 'after'>;

async function walkConversations(variables: Variables, betweenPages: (ids: string[]) => Promise<void> = async () => {}) {
  const pages: string[][] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const result: ClosedConversationsQuery = await clientFor(simulator).request(ClosedConversationsDocument, { ...variables, after });
    const ids = result.closedConversations.edges.map((edge) => edge.node.conversation.id);
    pages.push(ids);
    await betweenPages(ids);
    if (!result.closedConversations.pageInfo.hasNextPage) return pages;
    after = result.closedConversations.pageInfo.endCursor;
  }
  throw new Error('pagination did not end within 50 pages');
}

describe('closedConversations pagination', () => {
  test('walks every conversation once across several pages of at most 100, newest first', async () => {
    const pages = await walkConversations({ interval: EVERYTHING, first: 100 });

    const ids = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([100, 100, 100, 100, 100, 20]);
    expect(new Set(ids).size).toBe(VISITORS * CONVERSATIONS_PER_VISITOR);
    const createdAt = ids.map((id) => simulator.store.conversations.get(id)!.createdAtMs);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
  });

  test('without `first` a page holds 20', async () => {
    const result = await clientFor(simulator).request(ClosedConversationsDocument, { interval: EVERYTHING });

    expect(result.closedConversations.edges).toHaveLength(20);
    expect(result.closedConversations.pageInfo.hasNextPage).toBe(true);
  });

  test('`first` above 100 is refused with INVALID_ARGUMENT', async () => {
    const error = await clientErrorOf(clientFor(simulator).request(ClosedConversationsDocument, { interval: EVERYTHING, first: 101 }));

    expect(error.response.errors?.[0]?.extensions).toEqual({ name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' });
  });

  test('cursors are opaque base64 of epochMs&&uuid, and a forged one is refused', async () => {
    const result = await clientFor(simulator).request(ClosedConversationsDocument, { interval: EVERYTHING, first: 1 });
    const cursor = result.closedConversations.pageInfo.endCursor!;
    const [epochMs, id] = Buffer.from(cursor, 'base64').toString('utf8').split('&&');

    const error = await clientErrorOf(clientFor(simulator).request(ClosedConversationsDocument, { interval: EVERYTHING, after: 'not a cursor' }));

    expect(id).toBe(result.closedConversations.edges[0]?.node.conversation.id);
    expect(Number(epochMs)).toBe(simulator.store.conversations.get(id!)!.createdAtMs);
    expect(error.response.errors?.[0]?.extensions?.name).toBe('INVALID_ARGUMENT');
  });

  test('a text search stays complete while each page is anonymized before the next is fetched', async () => {
    // The operator's reply in every generated conversation.
    const search = { messagesSearches: ['je regarde'] };
    const before = (await walkConversations({ interval: EVERYTHING, filters: search, first: 100 })).flat();
    expect(before.length).toBeGreaterThan(100);

    const anonymizePage = async (ids: string[]) => {
      for (const conversationId of ids) {
        await clientFor(simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId } });
      }
    };
    const walkedWhileAnonymizing = (await walkConversations({ interval: EVERYTHING, filters: search, first: 100 }, anonymizePage)).flat();

    expect(walkedWhileAnonymizing).toEqual(before);
    expect(await walkConversations({ interval: EVERYTHING, filters: search, first: 100 })).toEqual([[]]);
  });
});

describe('visitors pagination', () => {
  test('lists every visitor of a project across pages when no e-mail or phone is given', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: VisitorsQuery = await clientFor(simulator).request(VisitorsDocument, { projectId: PROJECT, first: 100, after });
      ids.push(...result.visitors.edges.map((edge) => edge.node.id));
      after = result.visitors.pageInfo.hasNextPage ? result.visitors.pageInfo.endCursor : null;
      pages += 1;
    } while (after !== null && pages < 10);

    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(VISITORS);
  });
});
