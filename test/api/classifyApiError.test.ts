import { describe, expect, test } from '@jest/globals';
import { ClientError } from 'graphql-request';
import { classifyApiError } from '../../src/api/classifyApiError.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

function clientError(status: number, errors?: { message: string; extensions?: Record<string, unknown> }[], headers: Record<string, string> = {}) {
  return new ClientError({ status, headers: new Headers(headers), ...(errors ? { errors } : {}), data: null } as never, {
    query: 'mutation { x }',
    variables: { email: 'secret@example.com' },
  });
}

describe('classifyApiError', () => {
  test.each([
    [429, 'retryable', 'HTTP_429'],
    [500, 'retryable', 'HTTP_500'],
    [502, 'retryable', 'HTTP_502'],
    [503, 'retryable', 'HTTP_503'],
    [504, 'retryable', 'HTTP_504'],
    [400, 'final', 'HTTP_400'],
    [415, 'final', 'HTTP_415'],
    [401, 'unauthorized', 'UNAUTHENTICATED'],
  ])('HTTP %i is %s (%s)', (status, kind, code) => {
    expect(classifyApiError(clientError(status), NOW)).toMatchObject({ kind, code, status });
  });

  test.each([
    ['NOT_FOUND', 'NO_RETRY', 'not_found'],
    ['INVALID_ARGUMENT', 'NO_RETRY', 'final'],
    ['PERMISSION_DENIED', 'NO_RETRY', 'final'],
    ['UNAVAILABLE', 'RETRY', 'retryable'],
    ['SOMETHING_NEW', 'RETRY_LATER', 'retryable'],
    ['SOMETHING_NEW', undefined, 'final'],
  ])('a GraphQL error named %s with retryPolicy %s is %s', (name, retryPolicy, kind) => {
    const extensions = { name, ...(retryPolicy ? { retryPolicy } : {}) };
    expect(classifyApiError(clientError(200, [{ message: 'm', extensions }]), NOW)).toMatchObject({ kind, code: name });
  });

  test('the deprecated extensions.code is never keyed on', () => {
    const error = clientError(200, [{ message: 'm', extensions: { code: 'NOT_FOUND', name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' } }]);

    expect(classifyApiError(error, NOW)).toMatchObject({ kind: 'final', code: 'INVALID_ARGUMENT' });
  });

  test('Retry-After is read as seconds or as an HTTP-date', () => {
    expect(classifyApiError(clientError(429, undefined, { 'retry-after': '4' }), NOW).retryAfterMs).toBe(4000);
    expect(classifyApiError(clientError(429, undefined, { 'retry-after': 'Tue, 24 Nov 2026 12:00:02 GMT' }), NOW).retryAfterMs).toBe(2000);
  });

  test('network failures and timeouts are retryable, by the socket code', () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });

    expect(classifyApiError(reset, NOW)).toMatchObject({ kind: 'retryable', code: 'NETWORK_ECONNRESET' });
    expect(classifyApiError(timeout, NOW)).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
  });

  test('a server-chosen name that is not an identifier is not echoed, and nothing carries the variables', () => {
    const error = classifyApiError(
      clientError(200, [{ message: 'secret@example.com', extensions: { name: 'secret@example.com', retryPolicy: 'NO_RETRY' } }]),
      NOW,
    );

    expect(error.code).toBe('GRAPHQL_ERROR');
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain('secret@example.com');
  });
});
