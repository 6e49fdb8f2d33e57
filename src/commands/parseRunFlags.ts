import { userInfo } from 'node:os';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { UsageError } from '../cliErrors.js';
import { MAX_REVIEWER_LENGTH } from '../decisions/readDecisions.js';
import type { RunOptions } from '../run/runErasure.js';
import { parseShard, type Shard } from '../run/shard.js';
import { DATE_ORDERS, type DateOrder } from '../requests/receivedAtInstant.js';
import { isoInstant } from '../requests/isoInstant.js';
import { TEXT_ENCODINGS, textEncodingNamed, type TextEncoding } from '../requests/textEncoding.js';
import type { ApiAuth, ApiConnection } from '../run/apiConnection.js';
import type { RunSetup } from '../run/executeRun.js';
import { decimalOf, parseWholeFlag } from './numberFlags.js';
import { DEFAULT_CONCURRENCY, DEFAULT_ENDPOINT, DEFAULT_LEDGER, DEFAULT_MAX_VISITORS, DEFAULT_REPORT, RETENTION_YEARS, type RawRunFlags } from './runFlags.js';

/** Flags and environment into one checked options object; every problem is a UsageError naming its source. */
export function parseRunOptions(files: string[], flags: RawRunFlags, env: NodeJS.ProcessEnv, nowMs: number): RunSetup {
  const interval = parseInterval(flags, nowMs);
  const projectSource = flags.projectIds !== undefined ? '--project-ids' : 'IADVIZE_PROJECT_IDS';
  const projectIds = parseProjectIds(projectSource, flags.projectIds ?? env.IADVIZE_PROJECT_IDS);

  const run: RunOptions = {
    source: { kind: 'files', files },
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    reportPath: flags.report ?? DEFAULT_REPORT,
    concurrency: parseConcurrency(flags.concurrency),
    projectIds,
    maxVisitorsPerRequest:
      flags.maxVisitorsPerRequest === undefined ? DEFAULT_MAX_VISITORS : parseWholeFlag('--max-visitors-per-request', flags.maxVisitorsPerRequest, 1, 10_000),
    interval,
    dryRun: flags.dryRun === true,
  };
  if (flags.defaultCountry !== undefined) run.defaultCountry = parseCountry(flags.defaultCountry);
  if (flags.encoding !== undefined) run.encoding = parseEncoding(flags.encoding);
  if (flags.dateOrder !== undefined) run.dateOrder = parseDateOrder(flags.dateOrder);
  if (flags.sheet !== undefined) run.sheet = parseSheet(flags.sheet);
  if (flags.approve !== undefined && flags.approve.length > 0) {
    run.approve = parseApprovals(flags.approve);
    run.reviewer = parseReviewer(flags.reviewer);
  }
  if (flags.shard !== undefined) run.shard = parseShardFlag(flags.shard);
  const connection = parseConnection(flags, env);
  run.endpoint = connection.endpoint;
  if (flags.forceLedger === true) run.forceLedger = true;
  return { run, ...connection };
}

/** `--since` and `--until` as of `nowMs`: unset, `until` is now, and `since` RETENTION_YEARS before it. */
export function parseInterval(flags: Pick<RawRunFlags, 'since' | 'until'>, nowMs: number): RunOptions['interval'] {
  const until = flags.until === undefined ? new Date(nowMs) : parseDate('--until', flags.until);
  const since = flags.since === undefined ? yearsBefore(until, RETENTION_YEARS) : parseDate('--since', flags.since);
  if (since.getTime() >= until.getTime()) throw new UsageError('--since must be before --until');
  return { from: since.toISOString(), to: until.toISOString() };
}

/** Where and how to call the API: endpoint, credentials, rate, PII key (run, plan, apply). */
export function parseConnection(flags: Pick<RawRunFlags, 'endpoint' | 'rate'>, env: NodeJS.ProcessEnv): ApiConnection {
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

/** `--reviewer`, else the name of the account running the command: who approved is always recorded. */
export function parseReviewer(text: string | undefined): string {
  const reviewer = (text ?? userName()).trim();
  if (reviewer === '') throw new UsageError('--reviewer must name who approves or decides');
  if (reviewer.length > MAX_REVIEWER_LENGTH) throw new UsageError(`--reviewer must be at most ${MAX_REVIEWER_LENGTH} characters`);
  return reviewer;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    // a container's uid may have no passwd entry
    return process.env.USER ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
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

/** How --since and --until are written, as their errors and --help say it. */
export const INTERVAL_DATES = 'a day, 2024-01-31 (midnight UTC), or an ISO 8601 time, 2024-01-31T12:00:00Z or 2024-01-31T14:00+02:00 (without offset, UTC)';

/** An ISO 8601 day or time, a time without offset being UTC as in received_at: the same text means the same instant on every machine. */
export function parseDate(flag: string, text: string): Date {
  const instant = isoInstant(text.trim());
  if (instant === undefined) throw new UsageError(`${flag} must be ${INTERVAL_DATES}`);
  return new Date(instant);
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

function parseSheet(text: string): string {
  const sheet = text.trim();
  // Excel's own limit on a sheet's name
  if (sheet === '' || sheet.length > 31) throw new UsageError('--sheet must name a sheet of the workbook, like Requests (31 characters at most)');
  return sheet;
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
