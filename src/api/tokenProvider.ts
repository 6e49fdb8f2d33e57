import { ApiError } from './apiError.js';
import { parseRetryAfter } from './parseRetryAfter.js';

/** Where the run's bearer token comes from. */
export interface TokenProvider {
  token(): Promise<string>;
  /** The API refused `token`; true when a fresh one may be had (password grant), false when fatal. */
  renewAfterRefusal(token: string): boolean;
}

export function staticToken(token: string): TokenProvider {
  return {
    token: async () => token,
    renewAfterRefusal: () => false,
  };
}

export interface PasswordGrantOptions {
  tokenUrl: string;
  username: string;
  password: string;
  nowMs?: () => number;
  fetch?: typeof fetch;
}

// Renew a little before expiry, so a call never leaves with a token about to lapse.
const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth password grant (docs/api-notes.md#authentication: the only grant; 24 h tokens; no refresh; logins limited
 * to 10 a minute). One login serves the whole run; concurrent callers share one login.
 */
export function passwordGrant(options: PasswordGrantOptions): TokenProvider & { readonly logins: number } {
  const nowMs = options.nowMs ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  let current: { token: string; expiresAtMs: number } | undefined;
  let pending: Promise<string> | undefined;
  let logins = 0;

  async function login(): Promise<string> {
    const response = await doFetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ username: options.username, password: options.password, grant_type: 'password' }).toString(),
      signal: AbortSignal.timeout(30_000),
    }).catch((error: unknown) => {
      throw new ApiError('retryable', `LOGIN_NETWORK_${(error as { cause?: { code?: string } }).cause?.code ?? 'FAILED'}`);
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error.toUpperCase() : `HTTP_${response.status}`;
      if (response.status === 429 || response.status >= 500) {
        throw new ApiError('retryable', `LOGIN_${code}`, response.status, parseRetryAfter(response.headers.get('retry-after'), nowMs()));
      }
      throw new ApiError('unauthorized', `LOGIN_${code}`, response.status);
    }
    logins += 1;
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 86_400) * 1000;
    current = { token: body.access_token, expiresAtMs: nowMs() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return current.token;
  }

  return {
    get logins() {
      return logins;
    },
    async token() {
      if (current !== undefined && nowMs() < current.expiresAtMs) return current.token;
      pending ??= login().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    renewAfterRefusal(token) {
      if (current?.token === token) current = undefined;
      return true;
    },
  };
}
