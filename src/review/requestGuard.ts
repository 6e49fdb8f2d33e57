import { secretMatches } from './reviewSecret.js';

/** The header a POST must carry the secret in: a URL alone can be replayed from history, logs or a link. */
export const SECRET_HEADER = 'x-review-secret';
/** The query parameter the printed URL carries the secret in (GET only). */
export const SECRET_PARAM = 's';

export interface GuardedRequest {
  method: string;
  /** The request target as sent ("/api/requests?s=…"). */
  url: string;
  host: string | undefined;
  secretHeader: string | undefined;
}

export type Refusal = 'bad_host' | 'no_secret' | 'secret_only_in_url';

/**
 * Why the review server refuses a request (403), or undefined to serve it. A Host other than the
 * loopback address it listens on is a page of another site reaching it through DNS rebinding; a
 * request without the secret is anyone else on the machine.
 */
export function refusalOf(request: GuardedRequest, secret: string, port: number): Refusal | undefined {
  if (request.host !== `127.0.0.1:${port}` && request.host !== `localhost:${port}`) return 'bad_host';
  if (secretMatches(request.secretHeader, secret)) return undefined;
  const inUrl = new URL(request.url, 'http://127.0.0.1').searchParams.get(SECRET_PARAM) ?? undefined;
  if (!secretMatches(inUrl, secret)) return 'no_secret';
  return request.method === 'GET' || request.method === 'HEAD' ? undefined : 'secret_only_in_url';
}
