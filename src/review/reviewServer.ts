import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { access } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { applyDecisions, type ApplyDecisionsSettings } from '../decisions/applyDecisions.js';
import { checkDecisions } from '../decisions/checkDecisions.js';
import { decisionsPathFor, readHeldSubject, type HeldSubject } from '../decisions/heldSubject.js';
import { mergeDecisions } from '../decisions/mergeDecisions.js';
import { readDecisions } from '../decisions/readDecisions.js';
import { writeDecisions } from '../decisions/writeDecisions.js';
import type { DecisionsFile } from '../decisions/decisionsFile.js';
import type { Logger } from '../logging/createLogger.js';
import { createApiClient, createTokenProvider } from '../run/apiConnection.js';
import { decisionsOfPage } from './decisionsOfPage.js';
import { heldRequestDetails } from './heldRequestDetails.js';
import { heldRequestSummaries } from './heldRequestSummaries.js';
import { refusalOf, SECRET_HEADER, SECRET_PARAM } from './requestGuard.js';
import { newNonce, securityHeaders } from './responseHeaders.js';
import { reviewPageHtml } from './reviewPage.js';

export interface ReviewServerOptions {
  subject: HeldSubject;
  secret: string;
  /** How the page's reads and its apply reach the API. */
  settings: ApplyDecisionsSettings & { concurrency: number };
  /** 0: a free port. */
  port: number;
  logger?: Logger;
  nowMs?: () => number;
}

export interface ReviewServer {
  /** The URL to open, secret included. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

/** An answer the handlers throw to end a request early: a status and a message naming no value. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Errors whose messages are built from ids, paths and codes only (their modules say so): shown to
 * the reviewer, with the status that says whose turn it is (the decisions, the files as they are now, the API).
 */
const SAFE_ERROR_STATUS: Record<string, number> = {
  DecisionsError: 400,
  PostedDecisionsError: 400,
  PlanError: 409,
  RequestFileError: 409,
  LedgerMismatchError: 409,
  LockHeldError: 409,
  ApiError: 502,
};

/**
 * The review page's server (docs/design.md#review): node:http on 127.0.0.1 only, every request
 * checked for the Host it was sent to and for the secret before anything else. What it reads from
 * the API for the page goes to the page only: it logs request ids and counts, and writes nothing
 * but the decisions file.
 */
export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  const { secret, settings } = options;
  const logger = options.logger;
  const nowMs = options.nowMs ?? Date.now;
  const tokens = createTokenProvider(settings.connection.auth);
  let subject = options.subject;
  let applying = false;
  let port = 0;

  const routes = async (request: IncomingMessage, response: ServerResponse, nonce: string): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') return sendHtml(response, nonce, reviewPageHtml(nonce));
    if (method === 'GET' && url.pathname === '/api/requests') {
      return sendJson(response, nonce, 200, { subject: { kind: subject.kind, file: subject.path }, requests: heldRequestSummaries(subject) });
    }
    const opened = /^\/api\/requests\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && opened !== null) {
      const requestId = decodeURIComponent(opened[1]!);
      const held = subject.requests.find((candidate) => candidate.requestId === requestId);
      if (held === undefined) throw new Refused(404, 'no held request of that id');
      const details = await heldRequestDetails(held, createApiClient(settings.connection, settings.concurrency, tokens));
      logger?.info(
        { requestId, targets: details.targets.length, unread: details.targets.filter((target) => target.unread !== undefined).length },
        'review: request opened',
      );
      return sendJson(response, nonce, 200, details);
    }
    if (method === 'POST' && url.pathname === '/api/decisions') {
      const path = decisionsPathFor(subject.path);
      const posted = decisionsOfPage(await readJsonBody(request), subject, new Date(nowMs()).toISOString());
      const file = mergeDecisions(subject, await readEarlierDecisions(path), posted);
      checkDecisions(subject, file);
      await writeDecisions(path, file);
      logger?.info({ requests: file.requests.length, targets: file.requests.reduce((sum, each) => sum + each.targets.length, 0) }, 'review: decisions saved');
      return sendJson(response, nonce, 200, { file: path, requests: file.requests.length });
    }
    if (method === 'POST' && url.pathname === '/api/apply') {
      await readJsonBody(request);
      if (applying) throw new Refused(409, 'the decisions are being applied already');
      applying = true;
      try {
        const result = await applyDecisions(subject.path, decisionsPathFor(subject.path), settings);
        subject = await readHeldSubject(subject.path);
        logger?.info({ exitCode: result.exitCode, requests: result.requests, stillHeld: subject.requests.length }, 'review: decisions applied');
        return sendJson(response, nonce, 200, { ...result, stillHeld: subject.requests.length });
      } finally {
        applying = false;
      }
    }
    if (url.pathname === '/' || url.pathname.startsWith('/api/')) throw new Refused(405, 'method not allowed');
    throw new Refused(404, 'not found');
  };

  const server = createServer((request, response) => {
    const nonce = newNonce();
    const refusal = refusalOf(
      { method: request.method ?? 'GET', url: request.url ?? '/', host: request.headers.host, secretHeader: headerValue(request.headers[SECRET_HEADER]) },
      secret,
      port,
    );
    if (refusal !== undefined) {
      logger?.warn({ refusal }, 'review: request refused');
      request.resume();
      sendJson(response, nonce, 403, { error: 'forbidden' });
      return;
    }
    routes(request, response, nonce).catch((error: unknown) => {
      if (error instanceof Refused) return sendJson(response, nonce, error.status, { error: error.message });
      const name = error instanceof Error ? error.name : typeof error;
      const status = SAFE_ERROR_STATUS[name];
      if (status !== undefined) return sendJson(response, nonce, status, { error: (error as Error).message });
      // the message may hold what a handler was reading: the name only (docs/toolchain.md#traps)
      logger?.error({ error: name }, 'review: internal error');
      return sendJson(response, nonce, 500, { error: `internal error (${name})` });
    });
  });
  await listen(server, options.port);
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?${SECRET_PARAM}=${secret}`,
    port,
    close: () => closeServer(server),
  };
}

/** What an earlier save wrote beside the subject, if any; one that cannot be read is refused (DecisionsError), never overwritten. */
async function readEarlierDecisions(path: string): Promise<DecisionsFile | undefined> {
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  return exists ? (await readDecisions(path)).file : undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new Refused(415, 'expected application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Refused(413, 'the body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refused(400, 'the body is not JSON');
  }
}

function sendHtml(response: ServerResponse, nonce: string, html: string): void {
  response.writeHead(200, { ...securityHeaders(nonce), 'Content-Type': 'text/html; charset=utf-8' });
  response.end(html);
}

function sendJson(response: ServerResponse, nonce: string, status: number, body: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { ...securityHeaders(nonce), 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // the loopback address only: the page shows personal data and must not be reachable from the network
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
