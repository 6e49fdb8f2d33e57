import type { TokenProvider } from '../api/tokenProvider.js';
import type { ApiConnection } from './apiConnection.js';
import { checkApi, isNotVisible, type ApiCheck } from './checkApi.js';
import { CredentialsError } from './credentialsError.js';
import { PreflightError } from './preflightError.js';

/** Runs the preflight for these projects, once per command: a later call waits on the first one's result. */
export type Preflight = (projectIds: readonly number[]) => Promise<void>;

/**
 * The check every command makes before its first mutation (docs/design.md#preflight): the
 * endpoint answers, the credentials are taken, and each configured project is visible. A failure
 * throws at once, with one line naming the endpoint, the project or the credentials. `watch`
 * shares one between its files, so a folder polled for days is checked once.
 */
export function createPreflight(connection: ApiConnection, tokens: TokenProvider): Preflight {
  let done: Promise<void> | undefined;
  return (projectIds) => (done ??= checkApi(connection, tokens, projectIds).then(throwOnFailure));
}

function throwOnFailure(checks: readonly ApiCheck[]): void {
  const failed = checks.filter((check) => !check.ok);
  const first = failed[0];
  if (first === undefined) return;
  if (first.subject === 'credentials') throw new CredentialsError(first.detail);
  // One line for all: a list of projects of another account is one mistake.
  if (failed.length > 1 && failed.every(isNotVisible)) {
    const ids = failed.map((check) => check.projectId).join(', ');
    throw new PreflightError(`projects ${ids} are not visible to this account (${[...new Set(failed.map((check) => check.code))].join(', ')})`);
  }
  throw new PreflightError(first.detail);
}
