import { ApiError } from '../api/apiError.js';

/** The API refused the credentials: the operator's to fix, exit 1. The message names the variables, never the API's message. */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

export function asCredentialsError(error: unknown): unknown {
  if (error instanceof ApiError && error.kind === 'unauthorized') {
    return new CredentialsError(
      `the API refused the credentials (${error.code}); check IADVIZE_TOKEN or IADVIZE_USERNAME/IADVIZE_PASSWORD. The ledger records what was done before.`,
    );
  }
  return error;
}
