import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountStore } from './accountStore.js';
import { loadDataset, type Dataset } from './dataset.js';
import { executeGraphql, type GraphqlRequestBody } from './executeGraphql.js';
import { FaultPlan, type FaultKind, type FaultOptions } from './faultPlan.js';
import { loadSchema } from './loadSchema.js';
import { rootResolvers, type MutationCall } from './rootResolvers.js';
import { DEFAULT_LOGIN_LIMITS, DEFAULT_TOKEN_LIFETIME_SECONDS, TokenIssuer } from './tokenIssuer.js';

export interface SimulatorOptions {
  /** The account's data; fixtures/dataset.json when absent. */
  dataset?: Dataset;
  /** Loopback only, unless a person serving it by hand says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  faults?: FaultOptions;
  /** The simulator's clock, for token expiry, the rate limit and `daysAgo` dates. */
  nowMs?: () => number;
  /** The schema to serve; graphql/schema.graphql when absent. Another file plays an API that differs from ours (`doctor`'s test). */
  schemaPath?: string;
  /** Answer an introspection query as an API that disables it does: 400, INVALID_ARGUMENT. */
  refuseIntrospection?: boolean;
}

export interface SimulatorStats {
  graphqlRequests: number;
  /** GraphQL calls answered, by HTTP status ("dropped" when the connection was closed instead). */
  byStatus: Record<string, number>;
  faults: Partial<Record<FaultKind, number>>;
  inFlight: number;
  maxInFlight: number;
}

export interface Simulator {
  /** Base URL: the API's origin. */
  url: string;
  graphqlUrl: string;
  tokenUrl: string;
  store: AccountStore;
  faults: FaultPlan;
  /** Every mutation that reached execution, in order. */
  mutationCalls: MutationCall[];
  stats: SimulatorStats;
  /** Password-grant logins that issued a token. */
  readonly logins: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

// ASSUMED bodies: the notes quote only the gist of each message.
const HTTP_ERRORS = {
  401: { error: 'invalid_token', error_description: 'access token not valid' },
  415: { error: 'unsupported_media_type', error_description: 'Content-Type must be application/json' },
  429: { error: 'rate_limit_exceeded', error_description: 'Rate limit exceeded: you must wait before being allowed to receive data again' },
  500: { error: 'internal_error', error_description: 'An unexpected error occurred' },
  502: { error: 'bad_gateway', error_description: 'The server is currently unable to process any request' },
  504: { error: 'gateway_timeout', error_description: 'The server failed to respond in time' },
} as const;

/** Starts the local stand-in of the iAdvize API; see docs/simulator.md. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const nowMs = options.nowMs ?? Date.now;
  const faultOptions = options.faults ?? {};
  const dataset = options.dataset ?? (await loadDataset());
  const schema = loadSchema(options.schemaPath);
  const store = new AccountStore(dataset, nowMs());
  const faults = new FaultPlan(faultOptions, nowMs);
  const issuer = new TokenIssuer(
    dataset.users,
    dataset.staticTokens ?? [],
    faultOptions.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    faultOptions.loginLimitPerMinute ?? DEFAULT_LOGIN_LIMITS,
    nowMs,
  );
  const mutationCalls: MutationCall[] = [];
  const stats: SimulatorStats = { graphqlRequests: 0, byStatus: {}, faults: {}, inFlight: 0, maxInFlight: 0 };

  const countFault = (kind: FaultKind) => {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
  };

  async function handleGraphql(request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.graphqlRequests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    response.once('close', () => {
      stats.inFlight -= 1;
      const status = response.writableFinished ? String(response.statusCode) : 'dropped';
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    });

    const user = issuer.verify(bearerToken(request));
    if (user === null) return sendJson(response, 401, HTTP_ERRORS[401]);
    if (!isJson(request)) return sendJson(response, 415, HTTP_ERRORS[415]);
    const waitSeconds = faults.takeRateToken();
    if (waitSeconds !== null) return sendRateLimited(response, faultOptions.rateLimit?.retryAfter ?? 'seconds', waitSeconds, nowMs());

    const raw = await readBody(request);
    let body: GraphqlRequestBody;
    try {
      body = JSON.parse(raw) as GraphqlRequestBody;
      if (body === null || typeof body !== 'object') throw new Error('not an object');
    } catch {
      return sendJson(response, 400, {
        errors: [{ message: 'Request body is not a JSON object', extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' } }],
      });
    }
    const operationName = operationNameOf(body);
    const callKey = `${operationName ?? ''}:${JSON.stringify(body.variables ?? {})}`;
    const latency = faults.latencyMs(callKey);
    if (latency > 0) await sleep(latency);

    const fault = faults.chooseFault(operationName, callKey);
    if (fault !== null) countFault(fault);
    switch (fault) {
      case 'bad_gateway':
        return sendJson(response, 502, HTTP_ERRORS[502]);
      case 'gateway_timeout':
        return sendJson(response, 504, HTTP_ERRORS[504]);
      case 'rate_limited':
        return sendRateLimited(response, 'seconds', faultOptions.retryAfterSeconds ?? 1, nowMs());
      case 'rate_limited_no_retry_after':
        return sendRateLimited(response, 'none', 0, nowMs());
      case 'empty_answer':
        return sendJson(response, 200, {});
      case 'missing_field':
        return sendJson(response, 200, { data: {} });
      case 'retryable_field_error':
      case 'error_after_commit':
      case 'drop_after_commit':
      case 'acknowledged_not_applied':
      case 'applied_later':
      case 'wrong_type':
      case null:
        break; // these act on the answer, below
    }

    const answer = await executeGraphql(schema, rootResolvers, body, options.refuseIntrospection === true, {
      store,
      user,
      fault,
      visitorReanonymize: faultOptions.visitorReanonymize ?? 'not_found',
      recordMutation: (call) => mutationCalls.push(call),
    });
    if (fault === 'drop_after_commit') {
      request.socket.destroy();
      return;
    }
    if (fault === 'error_after_commit') return sendJson(response, 500, HTTP_ERRORS[500]);
    if (fault === 'wrong_type') return sendJson(response, 200, { data: Object.fromEntries(Object.keys(dataOf(answer.body)).map((field) => [field, 42])) });
    sendJson(response, answer.status, answer.body);
  }

  async function handleToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return sendJson(response, 415, HTTP_ERRORS[415]);
    }
    if (form.get('grant_type') !== 'password') {
      return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'Only grant_type=password is supported' });
    }
    const result = issuer.login(form.get('username') ?? '', form.get('password') ?? '', request.socket.remoteAddress ?? '');
    if (result.ok) {
      return sendJson(response, 200, { access_token: result.token, expires_in: result.expiresIn, token_type: 'Bearer', refresh_token: 'none' });
    }
    if (result.reason === 'rate_limited') {
      return sendRateLimited(response, 'seconds', result.retryAfterSeconds ?? 60, nowMs());
    }
    // ASSUMED: RFC 6749's answer to wrong credentials.
    sendJson(response, 400, { error: 'invalid_grant', error_description: 'Bad credentials' });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    let handled: Promise<void> | void;
    if (path === '/graphql' && request.method === 'POST') handled = handleGraphql(request, response);
    else if (path === '/oauth2/token' && request.method === 'POST') handled = handleToken(request, response);
    else if (path === '/_authenticated' && request.method === 'GET') {
      handled = issuer.verify(bearerToken(request)) === null ? sendJson(response, 401, HTTP_ERRORS[401]) : sendJson(response, 200, { authenticated: true });
    } else handled = sendJson(response, 404, { error: 'not_found', error_description: `No route ${request.method} ${path}` });
    Promise.resolve(handled).catch((error: unknown) => {
      // A simulator bug, not an API behaviour: say so loudly, answer 500.
      console.error('simulator: unexpected error', error);
      if (!response.headersSent) sendJson(response, 500, HTTP_ERRORS[500]);
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    tokenUrl: `${url}/oauth2/token`,
    store,
    faults,
    mutationCalls,
    stats,
    get logins() {
      return issuer.logins;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function dataOf(body: unknown): Record<string, unknown> {
  const data = (body as { data?: unknown } | null)?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function bearerToken(request: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

function isJson(request: IncomingMessage): boolean {
  return /^application\/json\b/i.test(request.headers['content-type'] ?? '');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendRateLimited(response: ServerResponse, style: 'seconds' | 'http-date' | 'none', waitSeconds: number, nowMs: number): void {
  if (style === 'seconds') response.setHeader('retry-after', String(waitSeconds));
  // An HTTP-date has whole seconds: round up so the client never comes back too early.
  if (style === 'http-date') response.setHeader('retry-after', new Date(Math.ceil(nowMs / 1000 + waitSeconds) * 1000).toUTCString());
  sendJson(response, 429, HTTP_ERRORS[429]);
}

/**
 * The operation's name as a server would tell it: the body's operationName, or else the name of
 * the document's one operation (the tool sends none: its documents hold one operation each).
 */
function operationNameOf(body: GraphqlRequestBody): string | null {
  if (typeof body.operationName === 'string') return body.operationName;
  if (typeof body.query !== 'string') return null;
  return /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(body.query)?.[1] ?? null;
}
