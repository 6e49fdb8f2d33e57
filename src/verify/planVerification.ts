import type { CountryCode } from 'libphonenumber-js';
import { VerifyError } from './verifyError.js';
import type { RequestStatus, RunEvent } from '../ledger/ledgerEvents.js';
import type { LedgerState } from '../ledger/ledgerState.js';
import type { RequestSource } from '../requests/personRequest.js';
import type { DateOrder } from '../requests/receivedAtInstant.js';
import type { TextEncoding } from '../requests/textEncoding.js';
import { inputOfSource } from './inputOfSource.js';
import { recordedCountry, recordedDateOrder, recordedEncoding, recordedSheet } from './recordedOptions.js';
import { inputsOf, type LocatedInputs } from './locateInputs.js';
import { verification, type RequestVerification } from './verification.js';

export interface PlannedCheck {
  requestId: string;
  source: RequestSource;
  interval: { from: string; to: string };
  /** Held targets a person decided to keep (their UUIDs): still found, as decided, so not `remaining`. */
  kept?: ReadonlySet<string>;
}

/** One input file to read, with the options its run read it with, and the requests to check from it. */
export interface InputGroup {
  path: string;
  sha256: string;
  defaultCountry?: CountryCode;
  /** The run's `--encoding`; without it, the file's encoding is detected again, as the run detected it. */
  encoding?: TextEncoding;
  dateOrder?: DateOrder;
  /** The run's `--sheet`: the sheet of an .xlsx file it read. */
  sheet?: string;
  /** What the run named rows without request_id after, when not the file's name. */
  idBase?: string;
  /** By request id. */
  checks: Map<string, PlannedCheck>;
}

export interface VerificationPlan {
  groups: InputGroup[];
  /** Completed requests that cannot be checked, with why. */
  notChecked: RequestVerification[];
  /** Requests not checked because their last status is not `completed`, by that status. */
  skipped: Partial<Record<RequestStatus, number>>;
  projectIds: number[];
}

export interface PlanOverrides {
  /** `--project-ids` or IADVIZE_PROJECT_IDS; otherwise every project the ledger's runs searched. */
  projectIds?: number[];
  /** `--since`; otherwise the start of the interval the completing run searched. */
  since?: string;
  /** `--until`, or now: so what was written after the run is caught too. */
  until: string;
  /** The targets each decided request kept by decision (keptByDecision.ts). */
  kept?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Which requests to check and how: every request whose last status is `completed`, read from the
 * very bytes its run read (matched by SHA-256), with the default country, encoding, date order and sheet
 * that run used (so phones and names give the same texts), over that run's interval start up to now.
 */
export function planVerification(state: Pick<LedgerState, 'runs' | 'requests'>, inputs: LocatedInputs, overrides: PlanOverrides): VerificationPlan {
  const projectIds = overrides.projectIds ?? recordedProjectIds(state.runs);
  if (projectIds.length === 0) {
    throw new VerifyError('no project to search: the ledger records none; set --project-ids or IADVIZE_PROJECT_IDS');
  }
  const runs = new Map(state.runs.map((run) => [run.runId, run]));
  const groups = new Map<string, InputGroup>();
  const notChecked: RequestVerification[] = [];
  const skipped: Partial<Record<RequestStatus, number>> = {};

  for (const event of state.requests.values()) {
    if (event.status !== 'completed') {
      skipped[event.status] = (skipped[event.status] ?? 0) + 1;
      continue;
    }
    const { requestId, source } = event;
    const notCheckedBecause = (reason: string) => notChecked.push(verification(requestId, source, 'not_checked', reason));
    const run = runs.get(event.runId);
    if (run === undefined) {
      notCheckedBecause('the ledger holds no run event for the run that completed it');
      continue;
    }
    const found = inputOfSource(inputsOf(run), source.file);
    if ('problem' in found) {
      notCheckedBecause(
        found.problem === 'none'
          ? 'the run that completed it recorded no input file of that name'
          : 'the run that completed it recorded several input files that name could be',
      );
      continue;
    }
    const { input } = found;
    const from = overrides.since ?? recordedFrom(run);
    if (from === undefined) {
      notCheckedBecause('the run that completed it recorded no search interval; pass --since');
      continue;
    }
    if (!(Date.parse(from) < Date.parse(overrides.until))) {
      notCheckedBecause('the search interval of the run that completed it starts after --until');
      continue;
    }
    const country = recordedCountry(run.options?.defaultCountry);
    if (country === null) {
      notCheckedBecause('the run that completed it recorded a --default-country this version does not know');
      continue;
    }
    const reading = recordedReading(run);
    if (reading === null) {
      notCheckedBecause('the run that completed it recorded an --encoding, --date-order or --sheet this version does not know');
      continue;
    }
    const path = inputs.bySha256.get(input.sha256);
    if (path === undefined) {
      notCheckedBecause(inputs.problems.get(input.file) ?? missingInputReason(input, inputs.given));
      continue;
    }
    const idBase = typeof input.idBase === 'string' ? { idBase: input.idBase } : {};
    const key = `${input.sha256}\u0000${country ?? ''}\u0000${reading.encoding ?? ''}\u0000${reading.dateOrder ?? ''}\u0000${reading.sheet ?? ''}\u0000${input.idBase ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { path, sha256: input.sha256, checks: new Map(), ...(country !== undefined ? { defaultCountry: country } : {}), ...reading, ...idBase };
      groups.set(key, group);
    }
    // keyed by the id its file gives: the ledger may record it under another (requestIdentity.ts)
    const kept = overrides.kept?.get(requestId);
    group.checks.set(event.fileRequestId ?? requestId, { requestId, source, interval: { from, to: overrides.until }, ...(kept !== undefined ? { kept } : {}) });
  }
  return { groups: [...groups.values()], notChecked, skipped, projectIds };
}

function missingInputReason(input: { file: string; sha256: string }, given: boolean): string {
  const which = `${input.file} as the run read it (SHA-256 ${input.sha256.slice(0, 12)}…)`;
  return given ? `its input file ${which} is not among the files given` : `its input file ${which} is no longer at that path; pass it on the command line`;
}

/** Every project the ledger's runs searched. */
function recordedProjectIds(runs: readonly RunEvent[]): number[] {
  const ids = new Set<number>();
  for (const run of runs) {
    const recorded = run.options?.projectIds;
    if (!Array.isArray(recorded)) continue;
    for (const id of recorded) if (Number.isSafeInteger(id) && (id as number) > 0) ids.add(id as number);
  }
  return [...ids].sort((a, b) => a - b);
}

function recordedFrom(run: RunEvent): string | undefined {
  const from = (run.options?.interval as { from?: unknown } | undefined)?.from;
  return typeof from === 'string' && !Number.isNaN(Date.parse(from)) ? from : undefined;
}

/** How the run read its files; null when it recorded an option this version cannot use. */
function recordedReading(run: RunEvent): { encoding?: TextEncoding; dateOrder?: DateOrder; sheet?: string } | null {
  const options = run.options ?? {};
  const encoding = recordedEncoding(options.encoding);
  const dateOrder = recordedDateOrder(options.dateOrder);
  const sheet = recordedSheet(options.sheet);
  if (encoding === null || dateOrder === null || sheet === null) return null;
  return { ...(encoding !== undefined ? { encoding } : {}), ...(dateOrder !== undefined ? { dateOrder } : {}), ...(sheet !== undefined ? { sheet } : {}) };
}
