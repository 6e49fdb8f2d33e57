/**
 * The API cannot serve this configuration: an endpoint that cannot be reached, a project the
 * account cannot see. Found before any mutation; exit 1 with one line naming what to fix. The
 * message holds the endpoint, project ids and error codes only.
 */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}
