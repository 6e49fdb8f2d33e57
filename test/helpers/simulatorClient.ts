import { ClientError, GraphQLClient } from 'graphql-request';
import type { Simulator } from '../../src/simulator/startSimulator.js';

/** The fixture account (fixtures/dataset.json). */
export const STATIC_TOKEN = 'simulator-static-token';
export const USERNAME = 'dpo@example.com';
export const PASSWORD = 'simulator-password';
export const PROJECT_FR = 6949;
export const PROJECT_UK = 7012;

/** A graphql-request client for the simulator, authenticated with the fixture's static token. */
export function clientFor(simulator: Simulator, token = STATIC_TOKEN): GraphQLClient {
  return new GraphQLClient(simulator.graphqlUrl, { headers: { authorization: `Bearer ${token}` } });
}

/** The last three years up to now: the interval the article recommends. */
export function lastThreeYears(nowMs = Date.now()): { from: string; to: string } {
  return { from: new Date(nowMs - 3 * 365 * 24 * 3600 * 1000).toISOString(), to: new Date(nowMs).toISOString() };
}

/** POSTs a GraphQL body as is and returns status, headers and the parsed JSON, key order intact. */
export async function postGraphql(
  simulator: Simulator,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${STATIC_TOKEN}`, 'content-type': 'application/json' },
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const response = await fetch(simulator.graphqlUrl, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the caller asserts on text
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The ClientError a call fails with; fails the test if the call succeeds or fails otherwise. */
export async function clientErrorOf(call: Promise<unknown>): Promise<ClientError> {
  const outcome = await call.then(
    () => 'the call succeeded',
    (error: unknown) => error,
  );
  if (outcome instanceof ClientError) return outcome;
  throw new Error(`expected a ClientError, got: ${outcome instanceof Error ? outcome.name : String(outcome)}`);
}
