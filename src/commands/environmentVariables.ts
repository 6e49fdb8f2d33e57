import { DEFAULT_ENDPOINT } from './runFlags.js';

/** What each variable the commands read means; secrets come from here only, never from a flag (docs/design.md#cli). */
export const ENVIRONMENT_VARIABLES = {
  IADVIZE_TOKEN: 'a bearer token for the API',
  IADVIZE_USERNAME: 'with IADVIZE_PASSWORD, when IADVIZE_TOKEN is not set: the account of the password grant',
  IADVIZE_PASSWORD: "that account's password",
  IADVIZE_TOKEN_URL: "where the password grant asks for a token (default: the endpoint's origin + /oauth2/token)",
  IADVIZE_ENDPOINT: `the GraphQL endpoint, when --endpoint is not given (default: ${DEFAULT_ENDPOINT})`,
  IADVIZE_PROJECT_IDS: 'comma-separated project ids to search, when --project-ids is not given',
  IADVIZE_PII_KEY:
    'the key of the digests that tell requests apart (default: a random key in <ledger>.key, or state/digest.key for watch); with it, request events also carry identifierDigests',
  LOG_LEVEL: 'the level of the logs on stderr: trace, debug, info, warn, error, fatal or silent (default: info)',
  LOG_FORMAT: 'json or pretty: how the logs on stderr are written (default: pretty on a terminal, json otherwise)',
} as const;

export type EnvironmentVariable = keyof typeof ENVIRONMENT_VARIABLES;

const CREDENTIALS: readonly EnvironmentVariable[] = ['IADVIZE_TOKEN', 'IADVIZE_USERNAME', 'IADVIZE_PASSWORD', 'IADVIZE_TOKEN_URL'];
const LOGS: readonly EnvironmentVariable[] = ['LOG_LEVEL', 'LOG_FORMAT'];

/** Those a command that calls the API reads: credentials, endpoint, and the logs. */
export const API_ENVIRONMENT: readonly EnvironmentVariable[] = [...CREDENTIALS, 'IADVIZE_ENDPOINT', ...LOGS];
/** run, plan and watch: the API's, the projects to search, and the digest key. */
export const RUN_ENVIRONMENT: readonly EnvironmentVariable[] = [...CREDENTIALS, 'IADVIZE_ENDPOINT', 'IADVIZE_PROJECT_IDS', 'IADVIZE_PII_KEY', ...LOGS];
