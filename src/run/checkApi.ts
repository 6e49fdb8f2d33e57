import { ApiError } from '../api/apiError.js';
import { IadvizeClient } from '../api/iadvizeClient.js';
import type { TokenProvider } from '../api/tokenProvider.js';
import type { ApiConnection } from './apiConnection.js';

/** One line of the preflight: what was checked, whether it passed, and in words why. */
export interface ApiCheck {
  subject: 'endpoint' | 'credentials' | 'project';
  projectId?: number;
  ok: boolean;
  /** Safe to print: the endpoint, a project id, error codes. */
  detail: string;
  /** The API error's code, when the check failed on one. */
  code?: string;
}

/** A couple of tries for a transient 502 or 429, no more: the preflight must fail in seconds, not after a run's worth of retries. */
const PREFLIGHT_ATTEMPTS = 3;
const PREFLIGHT_TIMEOUT_MS = 10_000;
/** Network failures that are the configuration's, not the weather's: retrying them cannot help. */
const CONFIGURATION_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/**
 * The checks before a run: one call per project, in order. The first call also tells whether the
 * endpoint answers and takes the credentials; when either fails, the projects are not checked.
 * Makes no mutation and reads no profile (graphql/operations/ProjectVisible.graphql).
 */
export async function checkApi(connection: ApiConnection, tokens: TokenProvider, projectIds: readonly number[]): Promise<ApiCheck[]> {
  const client = new IadvizeClient({
    endpoint: connection.endpoint,
    tokens,
    concurrency: 1,
    maxAttempts: PREFLIGHT_ATTEMPTS,
    timeoutMs: PREFLIGHT_TIMEOUT_MS,
    isFinal: (error) => CONFIGURATION_NETWORK_CODES.has(networkCodeOf(error.code) ?? '') || /CERT|TLS|SELF_SIGNED/.test(error.code),
  });
  const checks: ApiCheck[] = [];
  let reached = false;
  for (const projectId of projectIds) {
    const failure = await client.projectVisible(projectId).then(
      () => undefined,
      (error: unknown) => (error instanceof ApiError ? error : new ApiError('final', 'UNEXPECTED_RESPONSE')),
    );
    if (!reached) {
      const fatal = failure === undefined ? undefined : connectionFailure(failure, connection);
      if (fatal !== undefined) return [...checks, fatal];
      reached = true;
      checks.push({ subject: 'endpoint', ok: true, detail: `endpoint ${printableUrl(connection.endpoint)} answers` });
      checks.push({
        subject: 'credentials',
        ok: true,
        detail: `credentials accepted (${'token' in connection.auth ? 'IADVIZE_TOKEN' : 'IADVIZE_USERNAME and IADVIZE_PASSWORD'})`,
      });
    }
    checks.push(projectCheck(projectId, failure, connection));
  }
  return checks;
}

/** Failures that say nothing of the project: the endpoint or the token URL unreachable, the credentials refused. */
function connectionFailure(error: ApiError, connection: ApiConnection): ApiCheck | undefined {
  const login = error.code.startsWith('LOGIN_');
  const network = networkCodeOf(error.code);
  if (network !== undefined || error.code === 'TIMEOUT' || error.code === 'LOGIN_TIMEOUT') {
    const where = login && 'tokenUrl' in connection.auth ? `the token URL ${printableUrl(connection.auth.tokenUrl)}` : printableUrl(connection.endpoint);
    return { subject: 'endpoint', ok: false, code: error.code, detail: `cannot reach ${where} (${network ?? 'TIMEOUT'})` };
  }
  if (error.kind === 'unauthorized') {
    return {
      subject: 'credentials',
      ok: false,
      code: error.code,
      detail: `the API refused the credentials (${error.code}); check IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD`,
    };
  }
  // Not GraphQL at all: a wrong path, a proxy's page.
  if (error.status === 404 || error.status === 405) {
    return {
      subject: 'endpoint',
      ok: false,
      code: error.code,
      detail: `${printableUrl(connection.endpoint)} answered HTTP ${error.status}: is it the API's GraphQL endpoint?`,
    };
  }
  return undefined;
}

/** The codes that say the account cannot see the project (the simulator's, and the API's per docs/api-notes.md). */
export function isNotVisible(check: ApiCheck): boolean {
  return check.subject === 'project' && (check.code === 'PERMISSION_DENIED' || check.code === 'NOT_FOUND');
}

function projectCheck(projectId: number, error: ApiError | undefined, connection: ApiConnection): ApiCheck {
  if (error === undefined) return { subject: 'project', projectId, ok: true, detail: `project ${projectId} is visible` };
  if (error.code === 'PERMISSION_DENIED' || error.kind === 'not_found') {
    return { subject: 'project', projectId, ok: false, code: error.code, detail: `project ${projectId} is not visible to this account (${error.code})` };
  }
  const status = error.status !== undefined && !error.code.startsWith('HTTP_') ? `, HTTP ${error.status}` : '';
  // A 400 is the API refusing the query itself: our graphql/ differs from its schema.
  const hint = error.status === 400 ? '; iadvize-erasure doctor compares graphql/ with the live schema' : '';
  return {
    subject: 'project',
    projectId,
    ok: false,
    code: error.code,
    detail: `${printableUrl(connection.endpoint)} could not check project ${projectId} (${error.code}${status})${hint}`,
  };
}

/** "NETWORK_ECONNREFUSED" and "LOGIN_NETWORK_ECONNREFUSED" → "ECONNREFUSED". */
function networkCodeOf(code: string): string | undefined {
  return /^(?:LOGIN_)?NETWORK_(.+)$/.exec(code)?.[1];
}

/** The URL without user info, query or fragment: nothing that could hold a secret. */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
