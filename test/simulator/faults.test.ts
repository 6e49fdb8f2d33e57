/**
 * The simulator's faults as a client sees them: through graphql-request with the generated typed
 * documents, or raw fetch where status, headers and body matter. Every clock is injected, so
 * nothing here depends on timing except the one latency test (a loose lower bound only).
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { ClientError } from 'graphql-request';
import { ClosedConversationAnonymizeDocument, VisitorAnonymizeDocument, VisitorsDocument, type VisitorsQueryVariables } from '../../src/generated/graphql.js';
import type { FaultKind } from '../../src/simulator/faultPlan.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';
import { PASSWORD, PROJECT_FR, USERNAME, clientFor, postGraphql } from '../helpers/simulatorClient.js';
import { virtualTime } from '../helpers/virtualTime.js';

/** A closed, not yet anonymized conversation of project FR in fixtures/dataset.json. */
const CONVERSATION_ID = 'cefdfcba-1417-5ee0-9d9a-10642721c5c3';
/** A visitor of project FR in fixtures/dataset.json, not yet anonymized. */
const VISITOR_ID = 'b90a1a97-4877-5705-83da-510fc0263cd3';
/** Not on a whole second, so an HTTP-date Retry-After has to round. */
const START_MS = Date.parse('2025-03-01T12:00:00.250Z');

// ---------------------------------------------------------------- helpers

const running: Simulator[] = [];

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = await startSimulator(options);
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

/** A clock the test moves by hand. */
const fakeClock = () => virtualTime({ frozen: true, startMs: START_MS });

/** The error a call fails with; fails the test when the call succeeds. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

async function clientErrorOf(call: Promise<unknown>): Promise<ClientError> {
  const error = await failureOf(call);
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

function firstErrorExtensions(error: ClientError): Record<string, unknown> | undefined {
  return error.response.errors?.[0]?.extensions;
}

function jsonBody(error: ClientError): unknown {
  return JSON.parse(error.response.body);
}

const findVisitors = (simulator: Simulator, variables: Partial<VisitorsQueryVariables> = {}, token?: string) =>
  clientFor(simulator, token).request(VisitorsDocument, { projectId: PROJECT_FR, ...variables });

const anonymizeConversation = (simulator: Simulator, conversationId = CONVERSATION_ID) =>
  clientFor(simulator).request(ClosedConversationAnonymizeDocument, { input: { conversationId } });

const anonymizeVisitor = (simulator: Simulator, id = VISITOR_ID) => clientFor(simulator).request(VisitorAnonymizeDocument, { visitorAnonymizeInput: { id } });

function isAnonymized(simulator: Simulator, conversationId = CONVERSATION_ID): boolean {
  const conversation = simulator.store.conversations.get(conversationId);
  if (conversation === undefined) throw new Error(`fixture conversation ${conversationId} is missing`);
  return conversation.anonymized;
}

/** What a client can tell of one call: "ok", the HTTP status, or "200 <extensions.name>". */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const status = error.response.status;
    return status === 200 ? `200 ${String(firstErrorExtensions(error)?.name)}` : String(status);
  }
}

const OUTCOME_OF_FAULT: Partial<Record<FaultKind, string>> = {
  bad_gateway: '502',
  gateway_timeout: '504',
  rate_limited: '429',
  rate_limited_no_retry_after: '429',
  retryable_field_error: '200 UNAVAILABLE',
};

/** Tally of outcomes, without the successes. */
function faultTally(outcomes: readonly string[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const outcome of outcomes) if (outcome !== 'ok') tally[outcome] = (tally[outcome] ?? 0) + 1;
  return tally;
}

/** sim.stats.faults, translated into what the client saw. */
function statsTally(simulator: Simulator): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const [kind, count] of Object.entries(simulator.stats.faults)) {
    const outcome = OUTCOME_OF_FAULT[kind as FaultKind] ?? kind;
    tally[outcome] = (tally[outcome] ?? 0) + (count ?? 0);
  }
  return tally;
}

/** One Visitors query per index; consecutive indexes share call keys (first cycles 1..5). */
async function sequentialOutcomes(simulator: Simulator, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let n = 0; n < count; n++) outcomes.push(await outcomeOf(findVisitors(simulator, { first: (n % 5) + 1 })));
  return outcomes;
}

async function login(simulator: Simulator, form: Record<string, string> = { username: USERNAME, password: PASSWORD, grant_type: 'password' }) {
  const response = await fetch(simulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function loginToken(simulator: Simulator): Promise<string> {
  const { status, body } = await login(simulator);
  expect(status).toBe(200);
  expect(typeof body.access_token).toBe('string');
  return body.access_token as string;
}

async function getAuthenticated(simulator: Simulator, token: string) {
  const response = await fetch(`${simulator.url}/_authenticated`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as unknown };
}

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'access token not valid' };

// ---------------------------------------------------------------- latency

describe('latency', () => {
  test('latencyMs delays every GraphQL call by at least that long', async () => {
    const simulator = await start({ faults: { latencyMs: 60 } });

    const startedAt = performance.now();
    const answer = await findVisitors(simulator);
    const elapsed = performance.now() - startedAt;

    expect(answer.visitors.edges.length).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(50);
  });

  test('latencyJitterMs with a seed gives the same latency to the same call key on two simulators', async () => {
    const faults = { seed: 42, latencyMs: 10, latencyJitterMs: 100 };
    const [first, second, otherSeed] = await Promise.all([start({ faults }), start({ faults }), start({ faults: { ...faults, seed: 43 } })]);
    const keys = Array.from({ length: 20 }, (_, n) => `Visitors:${JSON.stringify({ projectId: PROJECT_FR, first: n + 1 })}`);

    const latencies = keys.map((key) => first.faults.latencyMs(key));
    const again = keys.map((key) => second.faults.latencyMs(key));
    const withOtherSeed = keys.map((key) => otherSeed.faults.latencyMs(key));

    expect(again).toEqual(latencies);
    expect(withOtherSeed).not.toEqual(latencies);
    for (const latency of latencies) {
      expect(Number.isInteger(latency)).toBe(true);
      expect(latency).toBeGreaterThanOrEqual(10);
      expect(latency).toBeLessThanOrEqual(110);
    }
    expect(new Set(latencies).size).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------- 429 from the token bucket

describe('rate limit (token bucket on the injected clock)', () => {
  test("burst of 2 answers 200 twice, then 429 with a whole-seconds Retry-After and error 'rate_limit_exceeded'", async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs, faults: { rateLimit: { perSecond: 2, burst: 2, retryAfter: 'seconds' } } });

    await findVisitors(simulator);
    await findVisitors(simulator);
    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    const retryAfter = error.response.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(jsonBody(error)).toMatchObject({ error: 'rate_limit_exceeded' });
    expect(simulator.stats.byStatus).toEqual({ '200': 2, '429': 1 });
  });

  test('advancing the injected clock by 1 s refills the bucket', async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs, faults: { rateLimit: { perSecond: 2, burst: 2 } } });
    await findVisitors(simulator);
    await findVisitors(simulator);
    expect((await clientErrorOf(findVisitors(simulator))).response.status).toBe(429);

    clock.advance(1_000);
    const answer = await findVisitors(simulator);

    expect(answer.visitors.edges.length).toBeGreaterThan(0);
    expect(simulator.stats.byStatus).toEqual({ '200': 3, '429': 1 });
  });

  test("retryAfter 'http-date' sends an HTTP-date in the future of the injected clock", async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs, faults: { rateLimit: { perSecond: 2, burst: 2, retryAfter: 'http-date' } } });
    await findVisitors(simulator);
    await findVisitors(simulator);

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    const retryAt = Date.parse(error.response.headers.get('retry-after') ?? '');
    expect(Number.isNaN(retryAt)).toBe(false);
    expect(retryAt).toBeGreaterThanOrEqual(clock.nowMs() + 1000);
    expect(retryAt % 1000).toBe(0);
  });

  test("retryAfter 'none' answers 429 without a Retry-After header", async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs, faults: { rateLimit: { perSecond: 2, burst: 2, retryAfter: 'none' } } });
    await findVisitors(simulator);
    await findVisitors(simulator);

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    expect(error.response.headers.has('retry-after')).toBe(false);
    expect(jsonBody(error)).toMatchObject({ error: 'rate_limit_exceeded' });
  });
});

// ---------------------------------------------------------------- scripted 429

describe('scripted rate limiting', () => {
  test("'rate_limited' sends Retry-After: 1 by default", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'rate_limited' });

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    expect(error.response.headers.get('retry-after')).toBe('1');
    expect(jsonBody(error)).toMatchObject({ error: 'rate_limit_exceeded' });
    expect(simulator.stats.faults).toEqual({ rate_limited: 1 });
  });

  test("'rate_limited' sends the retryAfterSeconds option as Retry-After", async () => {
    const simulator = await start({ faults: { retryAfterSeconds: 7 } });
    simulator.faults.script({ kind: 'rate_limited' });

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    expect(error.response.headers.get('retry-after')).toBe('7');
  });

  test("'rate_limited_no_retry_after' answers 429 without Retry-After, and only once", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'rate_limited_no_retry_after' });

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(429);
    expect(error.response.headers.has('retry-after')).toBe(false);
    expect(simulator.stats.faults).toEqual({ rate_limited_no_retry_after: 1 });
    expect((await findVisitors(simulator)).visitors.edges.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- before/after the commit

describe('faults on a mutation', () => {
  test.each([
    ['bad_gateway', 502],
    ['gateway_timeout', 504],
  ] as const)("'%s' answers %i before executing: nothing applied, and the next call succeeds", async (kind, status) => {
    const simulator = await start();
    expect(isAnonymized(simulator)).toBe(false);
    simulator.faults.script({ kind, operationName: 'ClosedConversationAnonymize' });

    const error = await clientErrorOf(anonymizeConversation(simulator));

    expect(error.response.status).toBe(status);
    expect(isAnonymized(simulator)).toBe(false);
    expect(simulator.mutationCalls).toEqual([]);

    const answer = await anonymizeConversation(simulator);
    expect(answer.closedConversationAnonymize).toEqual({ conversation: { id: CONVERSATION_ID }, succeeded: true });
    expect(isAnonymized(simulator)).toBe(true);
    expect(simulator.mutationCalls).toEqual([{ field: 'closedConversationAnonymize', targetId: CONVERSATION_ID, result: 'anonymized', answered: true }]);
  });

  test("'error_after_commit' answers 500 though the mutation was applied; the retry answers NOT_FOUND", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'error_after_commit', operationName: 'ClosedConversationAnonymize' });

    const error = await clientErrorOf(anonymizeConversation(simulator));

    expect(error.response.status).toBe(500);
    expect(isAnonymized(simulator)).toBe(true);
    expect(simulator.mutationCalls).toEqual([{ field: 'closedConversationAnonymize', targetId: CONVERSATION_ID, result: 'anonymized', answered: false }]);

    const retry = await clientErrorOf(anonymizeConversation(simulator));
    expect(retry.response.status).toBe(200);
    expect(firstErrorExtensions(retry)).toMatchObject({ name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' });
    expect(retry.response.data).toEqual({ closedConversationAnonymize: null });
    expect(simulator.mutationCalls).toHaveLength(2);
    expect(simulator.mutationCalls[1]).toMatchObject({ result: 'not_found', answered: true });
  });

  test("'drop_after_commit' closes the connection without an answer though the mutation was applied", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'drop_after_commit', operationName: 'ClosedConversationAnonymize' });

    const error = await failureOf(anonymizeConversation(simulator));

    // fetch's own TypeError (from another realm than jest's, so compared by name, not instanceof)
    expect(error).not.toBeInstanceOf(ClientError);
    expect((error as Error).name).toBe('TypeError');
    expect((error as Error).message).toBe('fetch failed');
    expect((error as { cause?: { code?: unknown } }).cause?.code).toBe('UND_ERR_SOCKET');
    expect(error).not.toHaveProperty('response');
    expect(isAnonymized(simulator)).toBe(true);
    expect(simulator.mutationCalls).toEqual([{ field: 'closedConversationAnonymize', targetId: CONVERSATION_ID, result: 'anonymized', answered: false }]);
    expect(simulator.stats.byStatus).toEqual({ dropped: 1 });

    const retry = await clientErrorOf(anonymizeConversation(simulator));
    expect(firstErrorExtensions(retry)?.name).toBe('NOT_FOUND');
    expect(simulator.stats.byStatus).toEqual({ dropped: 1, '200': 1 });
  });

  test("'retryable_field_error' on a mutation answers 200 with a retryable UNAVAILABLE error and applies nothing", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'retryable_field_error', operationName: 'ClosedConversationAnonymize' });

    const error = await clientErrorOf(anonymizeConversation(simulator));

    expect(error.response.status).toBe(200);
    const extensions = firstErrorExtensions(error);
    expect(extensions?.retryPolicy).not.toBe('NO_RETRY');
    expect(extensions).toMatchObject({ name: 'UNAVAILABLE', retryPolicy: 'RETRY' });
    expect(error.response.data).toEqual({ closedConversationAnonymize: null });
    expect(isAnonymized(simulator)).toBe(false);
    expect(simulator.mutationCalls).toEqual([]);

    const retry = await anonymizeConversation(simulator);
    expect(retry.closedConversationAnonymize?.succeeded).toBe(true);
  });

  test("'retryable_field_error' on a query answers 200 with a retryable UNAVAILABLE error and null data", async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'retryable_field_error', operationName: 'Visitors' });

    const error = await clientErrorOf(findVisitors(simulator));

    expect(error.response.status).toBe(200);
    expect(firstErrorExtensions(error)).toMatchObject({ name: 'UNAVAILABLE', retryPolicy: 'RETRY' });
    // visitors is non-null in the schema, so the null propagates to data itself
    expect(error.response.data).toBeNull();
    expect((await findVisitors(simulator)).visitors.edges.length).toBeGreaterThan(0);
  });

  test('a scripted fault with an operationName only hits that operation', async () => {
    const simulator = await start();
    simulator.faults.script({ kind: 'bad_gateway', operationName: 'VisitorAnonymize' });

    const visitors = await findVisitors(simulator);
    expect(visitors.visitors.edges.map(({ node }) => node.id)).toContain(VISITOR_ID);
    expect(simulator.faults.pendingScripted).toBe(1);

    const error = await clientErrorOf(anonymizeVisitor(simulator));
    expect(error.response.status).toBe(502);
    expect(simulator.faults.pendingScripted).toBe(0);
    expect(simulator.store.visitors.get(VISITOR_ID)?.anonymized).toBe(false);
    expect(simulator.stats.faults).toEqual({ bad_gateway: 1 });
  });
});

// ---------------------------------------------------------------- seeded probabilities

describe('random faults are determined by the seed', () => {
  const probabilities = { bad_gateway: 0.3, retryable_field_error: 0.2 };

  test('the same seed gives the same sequence of outcomes; sim.stats.faults agrees with the client', async () => {
    const [first, second] = await Promise.all([start({ faults: { seed: 7, probabilities } }), start({ faults: { seed: 7, probabilities } })]);

    const outcomes = await sequentialOutcomes(first, 40);
    const again = await sequentialOutcomes(second, 40);

    expect(again).toEqual(outcomes);
    expect(new Set(outcomes)).toEqual(new Set(['ok', '502', '200 UNAVAILABLE']));
    expect(statsTally(first)).toEqual(faultTally(outcomes));
    expect(statsTally(second)).toEqual(faultTally(again));
  });

  test('a different seed gives a different sequence of outcomes', async () => {
    const [first, second] = await Promise.all([start({ faults: { seed: 7, probabilities } }), start({ faults: { seed: 8, probabilities } })]);

    const outcomes = await sequentialOutcomes(first, 40);
    const withOtherSeed = await sequentialOutcomes(second, 40);

    expect(withOtherSeed).not.toEqual(outcomes);
    expect(statsTally(second)).toEqual(faultTally(withOtherSeed));
  });

  test('probabilities summing to 0.5 fault about half of 400 calls', async () => {
    const simulator = await start({
      faults: { seed: 11, probabilities: { bad_gateway: 0.2, gateway_timeout: 0.1, rate_limited_no_retry_after: 0.1, retryable_field_error: 0.1 } },
    });

    const outcomes = await sequentialOutcomes(simulator, 400);
    const faulted = outcomes.filter((outcome) => outcome !== 'ok').length;

    expect(faulted / 400).toBeGreaterThanOrEqual(0.35);
    expect(faulted / 400).toBeLessThanOrEqual(0.65);
    expect(statsTally(simulator)).toEqual(faultTally(outcomes));
    expect(Object.values(simulator.stats.faults).reduce((sum, count) => sum + (count ?? 0), 0)).toBe(faulted);
  });

  test('concurrent calls in two different orders get the same fault per call key', async () => {
    const faults = { seed: 3, probabilities };
    const [first, second] = await Promise.all([start({ faults }), start({ faults })]);
    const emails = Array.from({ length: 30 }, (_, n) => `person-${n}@example.com`);
    // a fixed permutation: every 7th, wrapping around (7 and 30 are coprime)
    const shuffled = emails.map((_, n) => emails[(n * 7) % emails.length]!);

    const outcomesByEmail = async (simulator: Simulator, order: readonly string[]) => {
      const outcomes = await Promise.all(order.map((email) => outcomeOf(findVisitors(simulator, { email }))));
      return new Map(order.map((email, n) => [email, outcomes[n]!]));
    };
    const inOrder = await outcomesByEmail(first, emails);
    const reordered = await outcomesByEmail(second, shuffled);

    expect(shuffled).not.toEqual(emails);
    expect(new Set(shuffled)).toEqual(new Set(emails));
    for (const email of emails) expect([email, reordered.get(email)]).toEqual([email, inOrder.get(email)]);
    expect(new Set(inOrder.values())).toEqual(new Set(['ok', '502', '200 UNAVAILABLE']));
  });
});

// ---------------------------------------------------------------- concurrency

describe('in-flight counting', () => {
  test('7 concurrent calls held by latency are all in flight at once, and none after they settle', async () => {
    // The latency only has to outlast the time the 7 calls take to arrive; 250 ms leaves room on a loaded machine.
    const simulator = await start({ faults: { latencyMs: 250 } });

    const answers = await Promise.all(Array.from({ length: 7 }, (_, n) => findVisitors(simulator, { first: n + 1 })));

    expect(answers.map((answer) => answer.visitors.edges.length)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(simulator.stats.maxInFlight).toBe(7);
    expect(simulator.stats.inFlight).toBe(0);
    expect(simulator.stats.byStatus).toEqual({ '200': 7 });
  });
});

// ---------------------------------------------------------------- tokens and login

describe('tokens and login', () => {
  test('a short tokenLifetimeSeconds expires the token on the injected clock; logging in again works', async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs, faults: { tokenLifetimeSeconds: 60 } });

    const { status, body } = await login(simulator);
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 60, token_type: 'Bearer', refresh_token: 'none' });
    const token = body.access_token as string;
    expect((await findVisitors(simulator, {}, token)).visitors.edges.length).toBeGreaterThan(0);
    expect(await getAuthenticated(simulator, token)).toEqual({ status: 200, body: { authenticated: true } });

    clock.advance(60_000);

    const expired = await clientErrorOf(findVisitors(simulator, {}, token));
    expect(expired.response.status).toBe(401);
    expect(jsonBody(expired)).toEqual(INVALID_TOKEN);
    expect(await getAuthenticated(simulator, token)).toEqual({ status: 401, body: INVALID_TOKEN });

    const fresh = await loginToken(simulator);
    expect(fresh).not.toBe(token);
    expect((await findVisitors(simulator, {}, fresh)).visitors.edges.length).toBeGreaterThan(0);
    expect(await getAuthenticated(simulator, fresh)).toEqual({ status: 200, body: { authenticated: true } });
    expect(simulator.logins).toBe(2);
  });

  test('the default token lifetime is 86400 s: valid one second before, invalid at expiry', async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs });

    const { body } = await login(simulator);
    expect(body.expires_in).toBe(86400);
    const token = body.access_token as string;

    clock.advance(86_399_000);
    expect((await getAuthenticated(simulator, token)).status).toBe(200);
    clock.advance(1_000);
    expect(await getAuthenticated(simulator, token)).toEqual({ status: 401, body: INVALID_TOKEN });
    const answer = await postGraphql(simulator, { query: 'query { __typename }' }, { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    expect(answer.status).toBe(401);
  });

  test('the 11th login within a minute for the same user answers 429; after 61 s login works again', async () => {
    const clock = fakeClock();
    const simulator = await start({ nowMs: clock.nowMs });

    for (let n = 0; n < 10; n++) expect((await login(simulator)).status).toBe(200);
    const limited = await login(simulator);

    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate_limit_exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(simulator.logins).toBe(10);

    clock.advance(61_000);
    const token = await loginToken(simulator);
    expect(await getAuthenticated(simulator, token)).toEqual({ status: 200, body: { authenticated: true } });
    expect(simulator.logins).toBe(11);
  });

  test('a wrong password answers 400 invalid_grant and issues nothing', async () => {
    const simulator = await start();

    const { status, body } = await login(simulator, { username: USERNAME, password: 'not-the-password', grant_type: 'password' });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant' });
    expect(simulator.logins).toBe(0);
  });

  test('grant_type=client_credentials answers 400 unsupported_grant_type', async () => {
    const simulator = await start();

    const { status, body } = await login(simulator, { username: USERNAME, password: PASSWORD, grant_type: 'client_credentials' });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'unsupported_grant_type' });
    expect(simulator.logins).toBe(0);
  });
});

// ---------------------------------------------------------------- visitorReanonymize

describe('visitorReanonymize', () => {
  test("default 'not_found': a second VisitorAnonymize on the same visitor answers NOT_FOUND", async () => {
    const simulator = await start();

    expect(await anonymizeVisitor(simulator)).toEqual({ visitorAnonymize: { visitor: { id: VISITOR_ID } } });
    const error = await clientErrorOf(anonymizeVisitor(simulator));

    expect(error.response.status).toBe(200);
    expect(firstErrorExtensions(error)).toMatchObject({ name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' });
    expect(error.response.data).toEqual({ visitorAnonymize: null });
    expect(simulator.mutationCalls.map(({ result, answered }) => ({ result, answered }))).toEqual([
      { result: 'anonymized', answered: true },
      { result: 'already_anonymized', answered: true },
    ]);
  });

  test("'success': a second VisitorAnonymize on the same visitor answers the visitor again", async () => {
    const simulator = await start({ faults: { visitorReanonymize: 'success' } });

    const first = await anonymizeVisitor(simulator);
    const second = await anonymizeVisitor(simulator);

    expect(first).toEqual({ visitorAnonymize: { visitor: { id: VISITOR_ID } } });
    expect(second).toEqual(first);
    expect(simulator.store.visitors.get(VISITOR_ID)?.anonymized).toBe(true);
    expect(simulator.mutationCalls.map(({ field, targetId, result }) => ({ field, targetId, result }))).toEqual([
      { field: 'visitorAnonymize', targetId: VISITOR_ID, result: 'anonymized' },
      { field: 'visitorAnonymize', targetId: VISITOR_ID, result: 'already_anonymized' },
    ]);
  });
});
