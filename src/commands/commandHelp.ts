import { API_ENVIRONMENT, RUN_ENVIRONMENT, type EnvironmentVariable } from './environmentVariables.js';
import {
  DOCTOR_EXIT_CODES,
  REPORT_EXIT_CODES,
  REVIEW_EXIT_CODES,
  RUN_EXIT_CODES,
  SIMULATOR_EXIT_CODES,
  VERIFY_EXIT_CODES,
  WATCH_EXIT_CODES,
  type ExitCodeMeanings,
} from './exitCodeMeanings.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './simulator.js';

/** The dates a command reads: the --since and --until flags, and the request files' received_at. */
export type DateKind = 'interval' | 'receivedAt';

export interface HelpExample {
  /** What follows the program's name, perhaps after VARIABLE=value words; no quoting. */
  commandLine: string;
  says: string;
}

/** What --help says after the options: the environment read, the exit codes, the dates read and examples. */
export interface CommandHelp {
  environment: readonly EnvironmentVariable[];
  exitCodes: ExitCodeMeanings;
  /** The heading of the exit codes, when they are not all the command's own (the program's). */
  exitCodesHeading?: string;
  dates: readonly DateKind[];
  examples: readonly HelpExample[];
}

const SIMULATOR_ENDPOINT = `http://${DEFAULT_HOST}:${DEFAULT_PORT}/graphql`;
// a watched file's ledger in done/, named as the watcher claims a file: <time>-<pid>-<name>
const WATCHED_LEDGER = 'done/20261202T101500000Z-4711-requests.csv.ledger.jsonl';

export const PLAN_EXAMPLE: HelpExample = {
  commandLine: 'plan requests.csv',
  says: 'resolve only, sending no mutation: plan.json and plan.report.csv list what apply would erase',
};
const REVIEW_EXAMPLE: HelpExample = {
  commandLine: 'review plan.json',
  says: 'decide the held targets in the browser; the decisions are saved to plan.decisions.json',
};
export const APPLY_EXAMPLE: HelpExample = { commandLine: 'apply plan.json', says: 'anonymize exactly what plan.json lists; its held requests stay held' };
const APPLY_DECISIONS_EXAMPLE: HelpExample = {
  commandLine: 'apply plan.json --decisions plan.decisions.json',
  says: 'anonymize what the plan lists, and each held target as the reviewer decided',
};
const WATCH_ONCE_EXAMPLE: HelpExample = {
  commandLine: 'watch /data/erasure --once',
  says: 'process what /data/erasure/inbox/ holds now, then exit with the worst outcome (a CronJob)',
};

/** The program's own --help: the usual way through, every variable, and run's exit codes. */
export const PROGRAM_HELP: CommandHelp = {
  environment: RUN_ENVIRONMENT,
  exitCodes: RUN_EXIT_CODES,
  exitCodesHeading: "Exit codes of run, plan and apply (the other commands' are in their --help):",
  dates: ['interval', 'receivedAt'],
  examples: [PLAN_EXAMPLE, REVIEW_EXAMPLE, APPLY_DECISIONS_EXAMPLE, WATCH_ONCE_EXAMPLE],
};

/** Each command's, by its name. */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  run: {
    environment: RUN_ENVIRONMENT,
    exitCodes: RUN_EXIT_CODES,
    dates: ['interval', 'receivedAt'],
    examples: [
      {
        commandLine: 'IADVIZE_PROJECT_IDS=6949,7012 run requests.csv',
        says: 'erase the people of requests.csv; ledger erasure.ledger.jsonl, report erasure.report.csv; run it again to resume',
      },
      { commandLine: 'run requests.csv --dry-run --since 2024-01-01', says: 'record what would be anonymized since 1 January 2024, sending no mutation' },
      { commandLine: 'run requests.csv --approve R-17,R-18 --reviewer jdoe', says: 'after review, erase the held targets of R-17 and R-18 too' },
    ],
  },
  plan: {
    environment: RUN_ENVIRONMENT,
    exitCodes: RUN_EXIT_CODES,
    dates: ['interval', 'receivedAt'],
    examples: [
      PLAN_EXAMPLE,
      {
        commandLine: 'plan requests.csv --out january.json --since 2024-01-01 --until 2024-01-31T23:59:59Z',
        says: 'only what January 2024 holds; the plan is january.json, its report january.report.csv',
      },
      { commandLine: 'plan requests.csv --out plan-0.json --shard 0/4', says: 'the first of four shares of the requests, for four plans made side by side' },
    ],
  },
  apply: {
    environment: [...API_ENVIRONMENT, 'IADVIZE_PII_KEY'],
    exitCodes: RUN_EXIT_CODES,
    dates: [],
    examples: [
      APPLY_EXAMPLE,
      APPLY_DECISIONS_EXAMPLE,
      { commandLine: `apply ${WATCHED_LEDGER} --approve R-17 --reviewer jdoe`, says: 'decide a watched file: erase every held target of its request R-17' },
    ],
  },
  watch: {
    environment: RUN_ENVIRONMENT,
    exitCodes: WATCH_EXIT_CODES,
    dates: ['interval', 'receivedAt'],
    examples: [
      { commandLine: 'watch /data/erasure', says: 'process each file dropped into /data/erasure/inbox/, looking every 5 s until stopped' },
      WATCH_ONCE_EXAMPLE,
      {
        commandLine: 'watch /data/erasure --poll 60 --quiet 30 --webhook https://hooks.example.com/erasure',
        says: "a slow share: look every minute, take a file unchanged for 30 s, and POST each file's summary",
      },
    ],
  },
  verify: {
    environment: [...API_ENVIRONMENT, 'IADVIZE_PROJECT_IDS'],
    exitCodes: VERIFY_EXIT_CODES,
    dates: ['interval'],
    examples: [
      { commandLine: 'verify', says: 'check the completed requests of erasure.ledger.jsonl, reading the files it recorded' },
      { commandLine: `verify --ledger ${WATCHED_LEDGER} --reopen`, says: 'a watched file, found beside its ledger; what remains is erased by the next run' },
      { commandLine: 'verify requests.csv --since 2024-01-01', says: 'read requests.csv where it is now, and search from 1 January 2024' },
    ],
  },
  review: {
    environment: [...API_ENVIRONMENT, 'IADVIZE_PII_KEY'],
    exitCodes: REVIEW_EXIT_CODES,
    dates: [],
    examples: [
      REVIEW_EXAMPLE,
      {
        commandLine: 'review erasure.ledger.jsonl --port 8080',
        says: "a run's held requests, on a page at http://127.0.0.1:8080/ (the URL printed holds the secret)",
      },
    ],
  },
  report: {
    environment: [],
    exitCodes: REPORT_EXIT_CODES,
    dates: [],
    examples: [
      { commandLine: 'report --html evidence.html', says: "erasure.ledger.jsonl's evidence, with verify's reports when at their default paths" },
      {
        commandLine: `report --ledger ${WATCHED_LEDGER} --verify-report erasure.verify.csv --html evidence.html`,
        says: "a watched file's evidence, with what verify found",
      },
    ],
  },
  doctor: {
    environment: [...API_ENVIRONMENT, 'IADVIZE_PROJECT_IDS'],
    exitCodes: DOCTOR_EXIT_CODES,
    dates: [],
    examples: [
      {
        commandLine: 'IADVIZE_TOKEN=... IADVIZE_PROJECT_IDS=6949,7012 doctor',
        says: 'before a first real erasure: endpoint, credentials, each project, and graphql/ against the live schema',
      },
      { commandLine: `doctor --endpoint ${SIMULATOR_ENDPOINT} --project-ids 6949`, says: 'the same checks against the simulator' },
    ],
  },
  simulator: {
    environment: [],
    exitCodes: SIMULATOR_EXIT_CODES,
    dates: [],
    examples: [
      { commandLine: 'simulator', says: `the fixture account at ${SIMULATOR_ENDPOINT}, until Ctrl-C` },
      { commandLine: 'simulator --rate-limit 20 --fault bad_gateway=0.05 --seed 7', says: 'with a rate limit and 5% of 502s, the same ones at every start' },
      {
        commandLine: `IADVIZE_TOKEN=simulator-static-token run fixtures/demo-requests.csv --project-ids 6949,7012 --endpoint ${SIMULATOR_ENDPOINT}`,
        says: "then, in another terminal, a run against it (the token is the fixture's own, not a secret)",
      },
    ],
  },
};
