import { IadvizeClient } from '../api/iadvizeClient.js';
import { passwordGrant, staticToken, type TokenProvider } from '../api/tokenProvider.js';

export type ApiAuth = { token: string } | { username: string; password: string; tokenUrl: string };

/** Where and how to call the API, as the command parsed it from flags and environment. */
export interface ApiConnection {
  endpoint: string;
  /** `--rate`: calls per second for the whole run; unset, learnt from the API's 429s. */
  ratePerSecond?: number;
  auth: ApiAuth;
  piiKey?: string;
}

/** The token source the credentials call for; share one between clients so a password grant logs in once. */
export function createTokenProvider(auth: ApiAuth): TokenProvider {
  return 'token' in auth ? staticToken(auth.token) : passwordGrant(auth);
}

/** The one place a command's client is made (run, plan, apply, watch per file, verify). */
export function createApiClient(connection: ApiConnection, concurrency: number, tokens: TokenProvider = createTokenProvider(connection.auth)): IadvizeClient {
  return new IadvizeClient({
    endpoint: connection.endpoint,
    tokens,
    concurrency,
    ...(connection.ratePerSecond !== undefined ? { ratePerSecond: connection.ratePerSecond } : {}),
  });
}
