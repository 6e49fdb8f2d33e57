import { ClientError } from 'graphql-request';
import { ApiError } from './apiError.js';
import { parseRetryAfter } from './parseRetryAfter.js';

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Turns whatever a call threw into an ApiError, classified by HTTP status, `extensions.name`
 * and `extensions.retryPolicy` (docs/api-notes.md#client-behaviour), never by message text. 500 counts as
 * retryable: it may come after the change was applied, and a re-sent mutation then answers
 * NOT_FOUND, which is success.
 */
export function classifyApiError(error: unknown, nowMs: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ClientError) return classifyClientError(error, nowMs);
  if (isTimeout(error)) return new ApiError('retryable', 'TIMEOUT');
  const networkCode = networkErrorCode(error);
  if (networkCode !== undefined) return new ApiError('retryable', `NETWORK_${networkCode}`);
  return new ApiError('final', 'UNEXPECTED_RESPONSE');
}

function classifyClientError(error: ClientError, nowMs: number): ApiError {
  const { status } = error.response;
  const first = error.response.errors?.[0];
  const name = safeName(first?.extensions?.['name']);
  const retryPolicy = first?.extensions?.['retryPolicy'];
  const headers = error.response.headers as Headers | undefined;
  const retryAfterMs = parseRetryAfter(typeof headers?.get === 'function' ? headers.get('retry-after') : undefined, nowMs);

  if (status === 401) return new ApiError('unauthorized', 'UNAUTHENTICATED', status);
  if (name === 'NOT_FOUND') return new ApiError('not_found', name, status);
  if (status >= 200 && status < 300) {
    const kind = retryPolicy !== undefined && retryPolicy !== 'NO_RETRY' ? 'retryable' : 'final';
    return new ApiError(kind, name ?? 'GRAPHQL_ERROR', status, retryAfterMs);
  }
  if (RETRYABLE_STATUSES.has(status) || status >= 500) return new ApiError('retryable', name ?? `HTTP_${status}`, status, retryAfterMs);
  return new ApiError('final', name ?? `HTTP_${status}`, status);
}

/** Error names are upper-case identifiers; anything else from a server is not echoed. */
function safeName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value) ? value : undefined;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * fetch() fails with TypeError("fetch failed") whose cause carries the socket's code. Matched
 * by name, not instanceof: fetch's errors come from Node's own realm, not always the caller's.
 */
function networkErrorCode(error: unknown): string | undefined {
  const candidate = error as { name?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (candidate?.name !== 'TypeError') return undefined;
  const code = candidate.cause?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code)) return code;
  return candidate.message === 'fetch failed' ? 'FAILED' : undefined;
}
