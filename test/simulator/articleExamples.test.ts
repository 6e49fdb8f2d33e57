import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { print } from 'graphql';
import { ClosedConversationAnonymizeDocument, ClosedConversationsDocument, VisitorAnonymizeDocument, VisitorsDocument } from '../../src/generated/graphql.js';
import type { Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { STATIC_TOKEN, clientErrorOf, clientFor, postGraphql } from '../helpers/simulatorClient.js';

/**
 * Every request, response and error example of the help article
 * (shared/iadvize-anonymization-article.txt), replayed against the simulator. The account
 * below holds the article's own ids, so answers compare to the article's JSON as written.
 */

// The article's second example conversation id ends in "5g", which is not hexadecimal: no
// server could hold it as a UUID, so this account uses "…5f" in its place.
const ARTICLE = {
  searchedConversation: '83b04089-90be-41ad-a0f2-998710170212',
  searchedConversationVisitor: '8a91e839-15f3-48dd-85c7-a7991685baa7',
  secondConversation: '711944bd-cb87-49a7-91b0-c2c3a2668f5f',
  secondConversationVisitor: 'f41323c0-e76f-4835-b4e0-572e85d8fe2a',
  visitorFoundByEmail: '2183b42d-464d-4824-abb1-504619724ea9',
  anonymizedVisitor: '74d51373-f091-4d5e-8826-009eeff9e4b3',
  projectId: 6949,
  email: 'test@iadvize.com',
  phoneNumber: '+33010120304',
  searchString: 'my-order-4711',
} as const;

const articleAccount: Dataset = {
  users: [{ username: 'admin@example.com', password: 'pw', projectIds: [ARTICLE.projectId] }],
  staticTokens: [{ token: STATIC_TOKEN, username: 'admin@example.com' }],
  projects: [{ id: ARTICLE.projectId, name: 'Article project' }],
  visitors: [
    { id: ARTICLE.searchedConversationVisitor, projectId: ARTICLE.projectId, firstName: 'Ann' },
    { id: ARTICLE.secondConversationVisitor, projectId: ARTICLE.projectId, firstName: 'Ben' },
    { id: ARTICLE.visitorFoundByEmail, projectId: ARTICLE.projectId, email: ARTICLE.email, phoneNumber: ARTICLE.phoneNumber },
    { id: ARTICLE.anonymizedVisitor, projectId: ARTICLE.projectId, lastName: 'Smith', email: 'smith@example.com' },
  ],
  conversations: [
    {
      id: ARTICLE.searchedConversation,
      projectId: ARTICLE.projectId,
      visitorId: ARTICLE.searchedConversationVisitor,
      createdAt: '2024-03-01T10:00:00Z',
      messages: [{ author: 'visitor', text: `Where is MY-ORDER-4711?` }],
      customData: { orderId: '4711' },
    },
    {
      id: ARTICLE.secondConversation,
      projectId: ARTICLE.projectId,
      visitorId: ARTICLE.secondConversationVisitor,
      createdAt: '2023-05-01T10:00:00Z',
      messages: [
        { author: 'operator', text: `Your my-order-4711 has shipped` },
        { author: 'system', text: 'Closed' },
      ],
    },
    {
      id: '0b1c7a2e-5f1d-4b8e-9c3a-2d4e6f708192',
      projectId: ARTICLE.projectId,
      visitorId: ARTICLE.anonymizedVisitor,
      createdAt: '2024-01-01T10:00:00Z',
      messages: [{ author: 'visitor', text: 'Nothing to do with it' }],
    },
  ],
};

// The article's operations, as printed there.
const ARTICLE_QUERY_CLOSED_CONVERSATIONS = `query ClosedConversations($interval: Interval!, $filters: ClosedConversationFilters) {
 closedConversations(interval: $interval, filters: $filters) {
   edges {
     node {
       conversation {
         id
         visitor {
           id
         }
       }
     }
   }
 }
}`;

const ARTICLE_QUERY_VISITORS = `query Visitors($projectId: Int!, $email: String) {
  visitors(projectId: $projectId, email: $email) {
    edges {
      node {
        id
      }
    }
  }
}`;

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ dataset: articleAccount });
});

afterAll(async () => {
  await simulator.close();
});

describe('search for conversations containing a specific character string', () => {
  const variables = {
    interval: { from: '2021-08-14T00:00:00Z', to: '2024-08-14T00:00:00Z' },
    filters: { messagesSearches: ARTICLE.searchString },
  };

  test('the article query with its variables answers the article response', async () => {
    const answer = await postGraphql(simulator, { query: ARTICLE_QUERY_CLOSED_CONVERSATIONS, variables });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      data: {
        closedConversations: {
          edges: [
            { node: { conversation: { id: ARTICLE.searchedConversation, visitor: { id: ARTICLE.searchedConversationVisitor } } } },
            { node: { conversation: { id: ARTICLE.secondConversation, visitor: { id: ARTICLE.secondConversationVisitor } } } },
          ],
        },
      },
    });
  });

  test('the typed operation gives the same ids, newest first, with pageInfo', async () => {
    // The typed operation declares the list the schema has; GraphQL coerces the article's single string to it.
    const result = await clientFor(simulator).request(ClosedConversationsDocument, {
      ...variables,
      filters: { messagesSearches: [ARTICLE.searchString] },
    });

    expect(result.closedConversations.edges.map((edge) => ({ id: edge.node.conversation.id, visitor: edge.node.conversation.visitor?.id }))).toEqual([
      { id: ARTICLE.searchedConversation, visitor: ARTICLE.searchedConversationVisitor },
      { id: ARTICLE.secondConversation, visitor: ARTICLE.secondConversationVisitor },
    ]);
    expect(result.closedConversations.pageInfo.hasNextPage).toBe(false);
    expect(typeof result.closedConversations.pageInfo.endCursor).toBe('string');
  });
});

describe('search for a visitor by email or phone number', () => {
  test('the article query with its variables answers the article response (phoneNumber is not declared, so unused)', async () => {
    const answer = await postGraphql(simulator, {
      query: ARTICLE_QUERY_VISITORS,
      variables: { projectId: ARTICLE.projectId, email: ARTICLE.email, phoneNumber: ARTICLE.phoneNumber },
    });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: { visitors: { edges: [{ node: { id: ARTICLE.visitorFoundByEmail } }] } } });
  });

  test('the typed operation finds the same visitor by e-mail, and by phone number alone', async () => {
    const client = clientFor(simulator);

    const byEmail = await client.request(VisitorsDocument, { projectId: ARTICLE.projectId, email: ARTICLE.email });
    const byPhone = await client.request(VisitorsDocument, { projectId: ARTICLE.projectId, phoneNumber: ARTICLE.phoneNumber });

    expect(byEmail.visitors.edges.map((edge) => edge.node.id)).toEqual([ARTICLE.visitorFoundByEmail]);
    expect(byPhone.visitors.edges.map((edge) => edge.node.id)).toEqual([ARTICLE.visitorFoundByEmail]);
  });
});

describe('anonymize the content of a conversation', () => {
  test('the first call answers the article success; the second answers the article NOT_FOUND error', async () => {
    const variables = { input: { conversationId: ARTICLE.searchedConversation } };
    const query = print(ClosedConversationAnonymizeDocument);

    const first = await postGraphql(simulator, { query, variables, operationName: 'ClosedConversationAnonymize' });
    const second = await postGraphql(simulator, { query, variables, operationName: 'ClosedConversationAnonymize' });

    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      data: { closedConversationAnonymize: { conversation: { id: ARTICLE.searchedConversation }, succeeded: true } },
    });
    expect(second.status).toBe(200);
    // The article's error as written, key order included (its `line 2, column 3` is where the
    // field stands in the operation as graphql prints it).
    expect(second.text).toBe(
      JSON.stringify({
        data: { closedConversationAnonymize: null },
        errors: [
          {
            message: `Conversation ${ARTICLE.searchedConversation} has been not found during anonymization: it has either been dropped or anonymized`,
            path: ['closedConversationAnonymize'],
            locations: [{ line: 2, column: 3 }],
            extensions: { code: 'NOT_FOUND', name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' },
          },
        ],
      }),
    );
  });

  test('through graphql-request the NOT_FOUND error surfaces as a ClientError carrying extensions.name', async () => {
    const client = clientFor(simulator);
    const variables = { input: { conversationId: ARTICLE.secondConversation } };
    await client.request(ClosedConversationAnonymizeDocument, variables);

    const { response } = await clientErrorOf(client.request(ClosedConversationAnonymizeDocument, variables));

    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' });
    expect(response.data).toEqual({ closedConversationAnonymize: null });
  });

  test('an id that never existed answers the same NOT_FOUND error', async () => {
    const unknown = '9f9f9f9f-0000-4000-8000-000000000000';
    const error = await clientErrorOf(clientFor(simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId: unknown } }));

    expect(error.response.errors?.[0]?.message).toBe(
      `Conversation ${unknown} has been not found during anonymization: it has either been dropped or anonymized`,
    );
  });
});

describe('anonymize the data of a visitor', () => {
  test('the article mutation answers the article success', async () => {
    const result = await clientFor(simulator).request(VisitorAnonymizeDocument, {
      visitorAnonymizeInput: { id: ARTICLE.anonymizedVisitor },
    });

    expect(result).toEqual({ visitorAnonymize: { visitor: { id: ARTICLE.anonymizedVisitor } } });
  });

  test('a wrong visitor id answers the article INVALID_ARGUMENT error, word for word', async () => {
    const wrongId = '74d51373-f091-4d5e-8826-009eeff9e4bddfdsfdsf';
    const answer = await postGraphql(simulator, {
      query: print(VisitorAnonymizeDocument),
      variables: { visitorAnonymizeInput: { id: wrongId } },
      operationName: 'VisitorAnonymize',
    });

    expect(answer.status).toBe(400);
    expect(answer.text).toBe(
      JSON.stringify({
        errors: [
          {
            extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' },
            message:
              "Variable '$visitorAnonymizeInput' expected value of type 'VisitorAnonymizeInput!' but got: {\"id\":\"74d51373-f091-4d5e-8826-009eeff9e4bddfdsfdsf\"}. Reason: 'id' UUID expected (line 1, column 27):\nmutation VisitorAnonymize($visitorAnonymizeInput: VisitorAnonymizeInput!) {\n                          ^",
            locations: [{ line: 1, column: 27 }],
          },
        ],
      }),
    );
    expect(simulator.mutationCalls.some((call) => call.targetId === wrongId)).toBe(false);
  });

  test('through graphql-request that error is a ClientError with status 400 and extensions.name INVALID_ARGUMENT', async () => {
    const error = await clientErrorOf(clientFor(simulator).request(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id: 'not-a-uuid' } }));

    expect(error.response.status).toBe(400);
    expect(error.response.errors?.[0]?.extensions).toEqual({ name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' });
  });
});
