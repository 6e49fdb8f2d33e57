import type { Command } from 'commander';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { ApiError } from '../api/apiError.js';
import { IadvizeClient } from '../api/iadvizeClient.js';
import { passwordGrant, staticToken, type TokenProvider } from '../api/tokenProvider.js';
import { ExitError, UsageError } from '../cliErrors.js';
import { exitCodeOf } from './exitCodes.js';
import { decimalOf, parseWholeFlag } from './numberFlags.js';
import { createLogger } from '../logging/createLogger.js';
import { runErasure, type RunObserver, type RunOptions, type RunResult } from '../pipeline/runErasure.js';
import { withTerminationSignals } from '../run/terminationSignals.js';
import { parseShard, type Shard } from '../pipeline/shard.js';
import { DATE_ORDERS, DEFAULT_DATE_ORDER, type DateOrder } from '../requests/receivedAtInstant.js';
import { TEXT_ENCODINGS, textEncodingNamed, type TextEncoding } from '../requests/textEncoding.js';
import { packageVersion } from '../version.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';

export const DEFAULT_ENDPOINT = 'https://api.iadvize.com/graphql';
export const DEFAULT_LEDGER = 'erasure.ledger.jsonl';
export const DEFAULT_REPORT = 'erasure.report.csv';
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_VISITORS = 5;
/** The article: iAdvize keeps conversations 3 years by default; search that far back. */
const RETENTION_YEARS = 3;

/** The flags as commander hands them over. */
export interface RawRunFlags {
  ledger?: string;
  report?: string;
  concurrency?: string;
  projectIds?: string;
  maxVisitorsPerRequest?: string;
  defaultCountry?: string;
  encoding?: string;
  dateOrder?: string;
  since?: string;
  until?: string;
  dryRun?: boolean;
  endpoint?: string;
  rate?: string;
  approve?: string[];
  shard?: string;
  forceLedger?: boolean;
  umask?: string;
}

export type ApiAuth = { token: string } | { username: string; password: string; tokenUrl: string };

export interface RunCommandOptions {
  run: RunOptions;
  endpoint: string;
  /** `--rate`: calls per second for the whole run; unset, learnt from the API's 429s. */
  ratePerSecond?: number;
  auth: ApiAuth;
  piiKey?: string;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('Erase the people in the request files: resolve, anonymize, record in the ledger and report')
    .argument('<file...>', 'request files (CSV, JSON array, NDJSON)');
  addLedgerOptions(command);
  addResolutionOptions(command);
  addReadingOptions(command);
  command
    .option('--dry-run', 'resolve and record what would be anonymized, sending no mutation')
    .option('--approve <request ids>', 'release these held (needs_review) requests after review: comma-separated, repeatable', collectValues);
  addApiOptions(command);
  addShardOption(command);
  addUmaskOption(command);
  command.action(async (files: string[], flags: RawRunFlags) => {
    applyUmask(flags.umask);
    const exitCode = await executeRun(parseRunOptions(files, flags, process.env, Date.now()));
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

/** Where the outcome goes (run and apply). */
export function addLedgerOptions(command: Command): void {
  command
    .option('--ledger <path>', `append-only ledger; re-running with it resumes (default: ${DEFAULT_LEDGER})`)
    .option('--report <path>', `per-request CSV report (default: ${DEFAULT_REPORT})`);
  addForceLedgerOption(command);
}

/** A ledger written for another endpoint or account is refused unless this is given. */
export function addForceLedgerOption(command: Command): void {
  command.option('--force-ledger', 'use a ledger written for another endpoint, or for projects none of which is searched now');
}

/** The flags that decide what a request resolves to (run and plan). */
export function addResolutionOptions(command: Command): void {
  command
    .option('--project-ids <ids>', 'comma-separated iAdvize project ids to search (or IADVIZE_PROJECT_IDS)')
    .option('--max-visitors-per-request <n>', `hold a request reaching more visitors for review (default: ${DEFAULT_MAX_VISITORS})`)
    .option('--default-country <CC>', 'country for phone numbers written without +code, e.g. FR')
    .option('--since <date>', `search from this date (default: ${RETENTION_YEARS} years before --until)`)
    .option('--until <date>', 'search up to this date (default: now)');
}

/** The flags that say how request files are read (run, plan, watch); the run event records them for verify. */
export function addReadingOptions(command: Command): void {
  command
    .option('--encoding <name>', `the request files' encoding: ${TEXT_ENCODINGS.join(', ')} (default: from a byte order mark, else UTF-8, else Windows-1252 with a warning)`)
    .option(
      '--date-order <order>',
      `how received_at dates with the year last are read: dmy (03/04/2026 is 3 April), mdy (March 4) or ymd (only the year first is read) (default: ${DEFAULT_DATE_ORDER})`,
    );
}

/** The flags of the API connection (run, plan, apply). */
export function addApiOptions(command: Command): void {
  command
    .option('--concurrency <n>', `API calls in flight at most (default: ${DEFAULT_CONCURRENCY})`)
    .option('--rate <per second>', "API calls per second at most, queries included (default: learnt from the API's 429s)")
    .option('--endpoint <url>', `GraphQL endpoint (or IADVIZE_ENDPOINT; default: ${DEFAULT_ENDPOINT})`);
}

export function addShardOption(command: Command): void {
  command.option('--shard <index/count>', 'take only this share of the requests, e.g. 0/4 (Kubernetes Indexed Jobs: $JOB_COMPLETION_INDEX/4)');
}

/** For repeatable flags: each occurrence adds its value. */
export function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The token source the credentials call for; share one between clients so a password grant logs in once. */
export function createTokenProvider(auth: ApiAuth): TokenProvider {
  return 'token' in auth ? staticToken(auth.token) : passwordGrant(auth);
}

export function createApiClient(options: RunCommandOptions, tokens: TokenProvider = createTokenProvider(options.auth)): IadvizeClient {
  return new IadvizeClient({
    endpoint: options.endpoint,
    tokens,
    concurrency: options.run.concurrency,
    ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
  });
}

/** A refused token is the operator's to fix: say which variables, never the API's message. */
export function asCredentialsError(error: unknown): unknown {
  if (error instanceof ApiError && error.kind === 'unauthorized') {
    return new UsageError(`the API refused the credentials (${error.code}); check IADVIZE_TOKEN or IADVIZE_USERNAME/IADVIZE_PASSWORD. The ledger records what was done before.`);
  }
  return error;
}

/** Runs an erasure (or a plan's dry run, or an apply) as a command: signals, stderr notice, counts on stdout. */
export async function executeRun(options: RunCommandOptions): Promise<number> {
  const result = await executeRunForResult(options);
  process.stdout.write(`Requests: ${countsLine(result)}\n${heldLine(result)}Ledger: ${options.run.ledgerPath}\nReport: ${options.run.reportPath}\n`);
  return result.exitCode;
}

/** "Held for review: 2 visitors and 3 conversations …", or nothing when no target waits for a person. */
export function heldLine(result: RunResult): string {
  if (result.held === undefined) return '';
  return `Held for review: ${result.held.visitors} visitors and ${result.held.conversations} conversations (the report's reason and held columns say why; release with --approve)\n`;
}

export function countsLine(result: RunResult): string {
  return Object.entries(result.requests).map(([status, count]) => `${count} ${status}`).join(', ') || 'none';
}

/** The run under the command's signal handling; says on stderr when the circuit breaker stopped it. */
export async function executeRunForResult(options: RunCommandOptions, observer?: RunObserver): Promise<RunResult> {
  const logger = createLogger();
  const client = createApiClient(options);
  let result: RunResult;
  try {
    // First signal: stop gracefully (runErasure). Second: stop waiting for the calls in flight.
    result = await withTerminationSignals(
      (stop) =>
        runErasure(options.run, {
          client,
          logger,
          version: packageVersion(),
          stop,
          exitCodeOf,
          ...(options.piiKey !== undefined ? { piiKey: options.piiKey } : {}),
          ...(observer !== undefined ? { observer } : {}),
        }),
      () => client.abortInFlight(),
    );
  } catch (error) {
    throw asCredentialsError(error);
  }
  if (result.stoppedBecause !== undefined) {
    process.stderr.write(`iadvize-erasure: stopped sending: ${result.stoppedBecause}. The ledger is flushed; a re-run resumes once the API answers again.\n`);
  }
  return result;
}

/** Flags and environment into one checked options object; every problem is a UsageError naming its source. */
export function parseRunOptions(files: string[], flags: RawRunFlags, env: NodeJS.ProcessEnv, nowMs: number): RunCommandOptions {
  const until = flags.until === undefined ? new Date(nowMs) : parseDate('--until', flags.until);
  const since = flags.since === undefined ? yearsBefore(until, RETENTION_YEARS) : parseDate('--since', flags.since);
  if (since.getTime() >= until.getTime()) throw new UsageError('--since must be before --until');
  const projectSource = flags.projectIds !== undefined ? '--project-ids' : 'IADVIZE_PROJECT_IDS';
  const projectIds = parseProjectIds(projectSource, flags.projectIds ?? env.IADVIZE_PROJECT_IDS);

  const run: RunOptions = {
    files,
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    reportPath: flags.report ?? DEFAULT_REPORT,
    concurrency: parseConcurrency(flags.concurrency),
    projectIds,
    maxVisitorsPerRequest:
      flags.maxVisitorsPerRequest === undefined ? DEFAULT_MAX_VISITORS : parseWholeFlag('--max-visitors-per-request', flags.maxVisitorsPerRequest, 1, 10_000),
    interval: { from: since.toISOString(), to: until.toISOString() },
    dryRun: flags.dryRun === true,
  };
  if (flags.defaultCountry !== undefined) run.defaultCountry = parseCountry(flags.defaultCountry);
  if (flags.encoding !== undefined) run.encoding = parseEncoding(flags.encoding);
  if (flags.dateOrder !== undefined) run.dateOrder = parseDateOrder(flags.dateOrder);
  if (flags.approve !== undefined && flags.approve.length > 0) run.approve = parseApprovals(flags.approve);
  if (flags.shard !== undefined) run.shard = parseShardFlag(flags.shard);
  const connection = parseConnection(flags, env);
  run.endpoint = connection.endpoint;
  if (flags.forceLedger === true) run.forceLedger = true;
  return { run, ...connection };
}

/** Where and how to call the API: endpoint, credentials, rate, PII key (run, plan, apply). */
export function parseConnection(flags: Pick<RawRunFlags, 'endpoint' | 'rate'>, env: NodeJS.ProcessEnv): Omit<RunCommandOptions, 'run'> {
  const endpoint = parseUrl(flags.endpoint ?? env.IADVIZE_ENDPOINT ?? DEFAULT_ENDPOINT, flags.endpoint ? '--endpoint' : 'IADVIZE_ENDPOINT');
  const piiKey = env.IADVIZE_PII_KEY?.trim() || undefined;
  const ratePerSecond = flags.rate === undefined ? undefined : parseRate(flags.rate);
  return {
    endpoint,
    auth: parseAuth(env, endpoint),
    ...(piiKey !== undefined ? { piiKey } : {}),
    ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
  };
}

export function parseConcurrency(text: string | undefined): number {
  return text === undefined ? DEFAULT_CONCURRENCY : parseWholeFlag('--concurrency', text, 1, 256);
}

/** `--approve A,B --approve C` → {A, B, C}. Request ids are the file's own; only blanks are refused. */
export function parseApprovals(values: string[]): Set<string> {
  const ids = values.flatMap((value) => value.split(',')).map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new UsageError('--approve must be comma-separated request ids, like R-17,R-18');
  return new Set(ids);
}

export function parseShardFlag(text: string): Shard {
  const shard = parseShard(text);
  if (shard === undefined) throw new UsageError('--shard must be index/count with 0 <= index < count <= 1000, like 0/4');
  return shard;
}

/** Secrets come from the environment only: flags end up in shell history and `ps`. */
function parseAuth(env: NodeJS.ProcessEnv, endpoint: string): ApiAuth {
  const token = env.IADVIZE_TOKEN?.trim();
  if (token) return { token };
  const username = env.IADVIZE_USERNAME?.trim();
  const password = env.IADVIZE_PASSWORD;
  if (username && password) {
    const tokenUrl = parseUrl(env.IADVIZE_TOKEN_URL ?? `${new URL(endpoint).origin}/oauth2/token`, 'IADVIZE_TOKEN_URL');
    return { username, password, tokenUrl };
  }
  throw new UsageError('no credentials: set IADVIZE_TOKEN, or IADVIZE_USERNAME and IADVIZE_PASSWORD');
}

export function parseProjectIds(source: string, text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') {
    throw new UsageError('no project to search: set --project-ids or IADVIZE_PROJECT_IDS (comma-separated iAdvize project ids)');
  }
  const ids = text.split(',').map((part) => part.trim());
  if (!ids.every((id) => /^\d{1,10}$/.test(id) && Number(id) > 0)) throw new UsageError(`${source} must be comma-separated project ids, like 6949,7012`);
  return [...new Set(ids.map(Number))];
}

function parseRate(text: string): number {
  const value = decimalOf(text);
  if (!(value > 0 && value <= 10_000)) throw new UsageError('--rate must be a number of calls per second above 0, like 50 or 0.5');
  return value;
}

export function parseDate(flag: string, text: string): Date {
  const trimmed = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed;
  const date = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} must be an ISO date, like 2024-01-31 or 2024-01-31T12:00:00Z`);
  return date;
}

function yearsBefore(date: Date, years: number): Date {
  const earlier = new Date(date.getTime());
  earlier.setUTCFullYear(earlier.getUTCFullYear() - years);
  return earlier;
}

function parseCountry(text: string): CountryCode {
  const code = text.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw new UsageError('--default-country must be a two-letter country code, like FR or GB');
  return code;
}

function parseEncoding(text: string): TextEncoding {
  const encoding = textEncodingNamed(text);
  if (encoding === undefined) throw new UsageError(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')} (or cp1252, latin1)`);
  return encoding;
}

function parseDateOrder(text: string): DateOrder {
  const order = DATE_ORDERS.find((candidate) => candidate === text.trim().toLowerCase());
  if (order === undefined) throw new UsageError(`--date-order must be one of ${DATE_ORDERS.join(', ')}`);
  return order;
}

export function parseUrl(text: string, source: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // fall through
  }
  throw new UsageError(`${source} must be an http(s) URL`);
}
