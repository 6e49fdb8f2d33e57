import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { getIntrospectionQuery, print } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { VisitorsDocument } from '../../src/generated/graphql.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { PASSWORD, PROJECT_FR, STATIC_TOKEN, USERNAME, postGraphql } from '../helpers/simulatorClient.js';

const VISITORS_QUERY = { query: print(VisitorsDocument), variables: { projectId: PROJECT_FR } };
const JSON_TYPE = { 'content-type': 'application/json' };
const AUTHORIZED = { ...JSON_TYPE, authorization: `Bearer ${STATIC_TOKEN}` };

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator();
});

afterAll(async () => {
  await simulator.close();
});

async function login(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(simulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('authentication', () => {
  test('no token, a malformed header or an unknown token answers 401 invalid_token', async () => {
    const answers = await Promise.all([
      postGraphql(simulator, VISITORS_QUERY, JSON_TYPE),
      postGraphql(simulator, VISITORS_QUERY, { ...JSON_TYPE, authorization: STATIC_TOKEN }),
      postGraphql(simulator, VISITORS_QUERY, { ...JSON_TYPE, authorization: 'Bearer forged' }),
    ]);

    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: 'invalid_token', error_description: 'access token not valid' });
    }
  });

  test('the password grant answers a 24 h bearer token without refresh, which the API accepts', async () => {
    const { status, body } = await login({ username: USERNAME, password: PASSWORD, grant_type: 'password' });

    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 86400, token_type: 'Bearer', refresh_token: 'none' });
    const answer = await postGraphql(simulator, VISITORS_QUERY, { ...JSON_TYPE, authorization: `Bearer ${String(body.access_token)}` });
    expect(answer.status).toBe(200);
  });

  test('the token endpoint wants a form body', async () => {
    const { status } = await login({ username: USERNAME, password: PASSWORD, grant_type: 'password' }, 'application/json');

    expect(status).toBe(415);
  });

  test('GET /_authenticated tells a valid token from an invalid one', async () => {
    const valid = await fetch(`${simulator.url}/_authenticated`, { headers: { authorization: `Bearer ${STATIC_TOKEN}` } });
    const invalid = await fetch(`${simulator.url}/_authenticated`, { headers: { authorization: 'Bearer forged' } });

    expect([valid.status, await valid.json()]).toEqual([200, { authenticated: true }]);
    expect([invalid.status, await invalid.json()]).toEqual([401, { error_description: 'access token not valid', error: 'invalid_token' }]);
  });
});

describe('requests the API refuses', () => {
  test('a body without a JSON content type answers 415', async () => {
    const answer = await postGraphql(simulator, VISITORS_QUERY, { authorization: `Bearer ${STATIC_TOKEN}`, 'content-type': 'text/plain' });

    expect(answer.status).toBe(415);
  });

  test('a query that does not parse answers 400 INVALID_ARGUMENT with its location', async () => {
    const answer = await postGraphql(simulator, { query: 'query {' }, AUTHORIZED);

    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      errors: [
        {
          message: expect.stringContaining('Syntax Error'),
          locations: [{ line: 1, column: 8 }],
          extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' },
        },
      ],
    });
  });

  test('a field the schema does not have answers 400', async () => {
    const answer = await postGraphql(simulator, { query: '{ visitors(projectId: 6949) { edges { node { nickname } } } }' }, AUTHORIZED);

    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Cannot query field \\"nickname\\" on type \\"Visitor\\"');
  });

  test('a missing required variable answers 400 INVALID_ARGUMENT', async () => {
    const answer = await postGraphql(simulator, { query: print(VisitorsDocument), variables: {} }, AUTHORIZED);

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ errors: [{ extensions: { name: 'INVALID_ARGUMENT' }, message: expect.stringContaining('value is missing') }] });
  });

  test('a body that is not JSON answers 400', async () => {
    const answer = await postGraphql(simulator, '{not json', AUTHORIZED);

    expect(answer.status).toBe(400);
  });

  test('an unknown route answers 404', async () => {
    const response = await fetch(`${simulator.url}/v2/graphql`, { method: 'POST', headers: AUTHORIZED, body: '{}' });

    expect(response.status).toBe(404);
  });
});

describe('what a client may rely on', () => {
  test('?platform=sd reaches the same API', async () => {
    const client = new GraphQLClient(`${simulator.graphqlUrl}?platform=sd`, { headers: { authorization: `Bearer ${STATIC_TOKEN}` } });

    const result = await client.request(VisitorsDocument, { projectId: PROJECT_FR, email: 'bruno.keller@example.net' });

    expect(result.visitors.edges).toHaveLength(1);
  });

  test('introspection is open, so the schema can be pulled from the API', async () => {
    const answer = await postGraphql(simulator, { query: getIntrospectionQuery() }, AUTHORIZED);

    expect(answer.status).toBe(200);
    const types = (answer.json as { data: { __schema: { types: { name: string }[] } } }).data.__schema.types.map((type) => type.name);
    expect(types).toEqual(expect.arrayContaining(['UUID', 'DateTime', 'ClosedConversationFilters', 'VisitorAnonymizeInput']));
  });
});
