import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyApiError } from '../../src/api/classifyApiError.js';
import { requestFetch } from '../../src/api/requestFetch.js';

// A loopback server: /echo answers what it was sent, /reset drops the connection, /slow never answers.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/reset') return request.socket.destroy();
      if (request.url === '/slow') return;
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': ['a=1', 'b=2'] });
      response.end(
        JSON.stringify({ method: request.method, authorization: request.headers.authorization, contentType: request.headers['content-type'], body }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('requestFetch', () => {
  test('sends the method, headers and body, and answers status, headers and text as fetch does', async () => {
    const headers = new Headers({ authorization: 'Bearer t', 'Content-Type': 'application/json' });
    const response = await requestFetch(new URL(`${base}/echo`), { method: 'POST', headers, body: '{"query":"q"}' });
    expect(response.status).toBe(429);
    expect(response.ok).toBe(false);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.headers.get('x-absent')).toBeNull();
    expect(JSON.parse(await response.text())).toEqual({ method: 'POST', authorization: 'Bearer t', contentType: 'application/json', body: '{"query":"q"}' });
  });

  test('a refused connection fails as fetch fails: TypeError("fetch failed") with the socket code as cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await requestFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(classifyApiError(failure, 0)).toMatchObject({ kind: 'retryable', code: 'NETWORK_ECONNREFUSED' });
  });

  test('a dropped connection is a retryable network failure', async () => {
    const failure = await requestFetch(`${base}/reset`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(classifyApiError(failure, 0)).toMatchObject({ kind: 'retryable' });
    expect(classifyApiError(failure, 0).code).toMatch(/^NETWORK_/);
  });

  test("an aborted call throws the signal's reason, which classifies as a timeout", async () => {
    const call = new AbortController();
    const pending = requestFetch(`${base}/slow`, { method: 'POST', body: '{}', signal: call.signal }).catch((error: unknown) => error);
    call.abort(new DOMException('the call timed out', 'TimeoutError'));
    const failure = await pending;
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(classifyApiError(failure, 0)).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
  });
});
