/**
 * The only error the API client lets out: a safe shape, built at the boundary, that carries
 * no variables, no response body and no message from the server (those embed the personal
 * data being erased: docs/toolchain.md#traps). Its message is built from the fields below only.
 */
export type ApiErrorKind =
  /** The target is gone: anonymized before, or dropped. For a mutation, that is success. */
  | 'not_found'
  /** The token was refused. */
  | 'unauthorized'
  /** Worth another attempt later: 429, 5xx, a network failure, a retryPolicy other than NO_RETRY. */
  | 'retryable'
  /** Retrying cannot help. */
  | 'final'
  /** The run is stopping (a signal, or the circuit breaker): the call was not sent, or its answer abandoned. */
  | 'stopped';

/** Errors that end the run's sending, not one target: never recorded as a target's or request's failure. */
export function endsTheRun(error: unknown): boolean {
  return error instanceof ApiError && (error.kind === 'unauthorized' || error.kind === 'stopped');
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    /** What the ledger records: extensions.name ("NOT_FOUND"), "HTTP_502", "NETWORK_ECONNRESET", "TIMEOUT". */
    readonly code: string,
    readonly status?: number,
    /** How long the API asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(`iAdvize API: ${code}${status !== undefined ? ` (HTTP ${status})` : ''}`);
  }
}
