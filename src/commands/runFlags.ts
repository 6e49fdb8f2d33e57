import type { Command } from 'commander';
import { DEFAULT_DATE_ORDER } from '../requests/receivedAtInstant.js';
import { TEXT_ENCODINGS } from '../requests/textEncoding.js';

export const DEFAULT_ENDPOINT = 'https://api.iadvize.com/graphql';
export const DEFAULT_LEDGER = 'erasure.ledger.jsonl';
export const DEFAULT_REPORT = 'erasure.report.csv';
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_VISITORS = 5;
/** The article: iAdvize keeps conversations 3 years by default; search that far back. */
export const RETENTION_YEARS = 3;

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
  sheet?: string;
  since?: string;
  until?: string;
  dryRun?: boolean;
  endpoint?: string;
  rate?: string;
  approve?: string[];
  reviewer?: string;
  decisions?: string;
  shard?: string;
  forceLedger?: boolean;
  umask?: string;
}

/** A run flag by the name commander gives its value. */
export type RunFlag = Exclude<keyof RawRunFlags, 'umask'>;

interface FlagSpec {
  flags: string;
  description: string;
  /** Each occurrence adds its value. */
  repeatable?: true;
}

/**
 * The one option set of the commands that run (run, plan, apply, watch, verify): each flag's
 * syntax, and a description whose default comes from the constants above, never typed again.
 */
const RUN_FLAGS: Record<RunFlag, FlagSpec> = {
  ledger: { flags: '--ledger <path>', description: `append-only ledger; re-running with it resumes (default: ${DEFAULT_LEDGER})` },
  report: { flags: '--report <path>', description: `per-request CSV report (default: ${DEFAULT_REPORT})` },
  forceLedger: { flags: '--force-ledger', description: 'use a ledger written for another endpoint, or for projects none of which is searched now' },
  projectIds: { flags: '--project-ids <ids>', description: 'comma-separated iAdvize project ids to search (or IADVIZE_PROJECT_IDS)' },
  maxVisitorsPerRequest: {
    flags: '--max-visitors-per-request <n>',
    description: `hold a request reaching more visitors for review (default: ${DEFAULT_MAX_VISITORS})`,
  },
  defaultCountry: { flags: '--default-country <CC>', description: 'country for phone numbers written without +code, e.g. FR' },
  since: { flags: '--since <date>', description: `search from this date (default: ${RETENTION_YEARS} years before --until)` },
  until: { flags: '--until <date>', description: 'search up to this date (default: now)' },
  encoding: {
    flags: '--encoding <name>',
    description: `the request files' encoding: ${TEXT_ENCODINGS.join(', ')} (default: from a byte order mark, else UTF-8, else Windows-1252 with a warning)`,
  },
  dateOrder: {
    flags: '--date-order <order>',
    description:
      `how received_at dates with the year last are read: dmy (03/04/2026 is 3 April), mdy (March 4) or ymd (only the year first is read) ` +
      `(default: ${DEFAULT_DATE_ORDER})`,
  },
  sheet: { flags: '--sheet <name>', description: 'the sheet of an .xlsx request file to read (default: its first visible one); text files ignore it' },
  dryRun: { flags: '--dry-run', description: 'resolve and record what would be anonymized, sending no mutation' },
  approve: {
    flags: '--approve <request ids>',
    description: 'release these held (needs_review) requests after review: comma-separated, repeatable',
    repeatable: true,
  },
  reviewer: {
    flags: '--reviewer <name>',
    description: "who approved or decided, recorded in the ledger with each decision (default: this account's user name)",
  },
  decisions: {
    flags: '--decisions <file>',
    description: "execute a reviewer's per-target decisions (written by iadvize-erasure review): erase or keep each held target",
  },
  concurrency: { flags: '--concurrency <n>', description: `API calls in flight at most (default: ${DEFAULT_CONCURRENCY})` },
  rate: { flags: '--rate <per second>', description: "API calls per second at most, queries included (default: learnt from the API's 429s)" },
  endpoint: { flags: '--endpoint <url>', description: `GraphQL endpoint (or IADVIZE_ENDPOINT; default: ${DEFAULT_ENDPOINT})` },
  shard: { flags: '--shard <index/count>', description: 'take only this share of the requests, e.g. 0/4 (Kubernetes Indexed Jobs: $JOB_COMPLETION_INDEX/4)' },
};

/** Where the outcome goes (run and apply). */
export const LEDGER_FLAGS = ['ledger', 'report', 'forceLedger'] as const satisfies readonly RunFlag[];
/** What a request resolves to (run, plan, watch). */
export const RESOLUTION_FLAGS = ['projectIds', 'maxVisitorsPerRequest', 'defaultCountry', 'since', 'until'] as const satisfies readonly RunFlag[];
/** How request files are read (run, plan, watch); the run event records them for verify. */
export const READING_FLAGS = ['encoding', 'dateOrder', 'sheet'] as const satisfies readonly RunFlag[];
/** The API connection (run, plan, apply). */
export const API_FLAGS = ['concurrency', 'rate', 'endpoint'] as const satisfies readonly RunFlag[];

/**
 * Registers these run flags, in this order (the order of --help). `descriptions` words a flag for
 * a command that means it differently (verify's --ledger is the ledger it reads).
 */
export function addRunFlags(command: Command, names: readonly RunFlag[], descriptions: Partial<Record<RunFlag, string>> = {}): void {
  for (const name of names) {
    const spec = RUN_FLAGS[name];
    const description = descriptions[name] ?? spec.description;
    if (spec.repeatable) command.option(spec.flags, description, collectValues);
    else command.option(spec.flags, description);
  }
}

/** A run flag's syntax, as registered: `--shard <index/count>`. */
export function runFlagSyntax(name: RunFlag): string {
  return RUN_FLAGS[name].flags;
}

function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
