import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js';
import { ExitError, UsageError } from '../cliErrors.js';
import { checkDecisions } from '../decisions/checkDecisions.js';
import { heldDecisions } from '../decisions/heldDecisions.js';
import { readHeldSubject, subjectKindOf, type HeldSubject } from '../decisions/heldSubject.js';
import { heldWorkOf } from '../decisions/heldWork.js';
import { readDecisions } from '../decisions/readDecisions.js';
import { checkPlanInputs } from '../plan/checkPlanInputs.js';
import { readPlan } from '../plan/readPlan.js';
import type { ApiConnection } from '../run/apiConnection.js';
import type { RunSetup } from '../run/executeRun.js';
import type { RunOptions, RunResult } from '../run/runErasure.js';
import { LEDGER_SUFFIX, REPORT_SUFFIX } from '../watch/claimArtifacts.js';
import { refreshDecidedFile } from '../watch/refreshDecidedFile.js';
import { parseApprovals, parseConcurrency, parseConnection, parseReviewer, parseShardFlag } from './parseRunFlags.js';
import { exitCodeOf } from './exitCodes.js';
import { runWithNotice } from './runAndReport.js';
import { commandLineOf } from './summary/commandLine.js';
import { addJsonOption, printSummary } from './summary/printSummary.js';
import { summaryOfRun } from './summary/runSummary.js';
import { addRunFlags, API_FLAGS, DEFAULT_LEDGER, DEFAULT_REPORT, LEDGER_FLAGS, type RawRunFlags } from './runFlags.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';

export type RawApplyFlags = Pick<
  RawRunFlags,
  'ledger' | 'report' | 'concurrency' | 'rate' | 'endpoint' | 'approve' | 'reviewer' | 'decisions' | 'shard' | 'forceLedger' | 'umask'
>;

export function registerApplyCommand(program: Command): void {
  const command = program
    .command('apply')
    .description(
      'Execute a plan exactly: anonymize the targets it lists, resolving nothing again; refuses a plan whose input files changed. ' +
        "On a ledger, decide the requests a run or watch held: erase or keep each held target as a decisions file says (or all of a request's, with --approve)",
    )
    .argument('<plan | ledger>', 'a plan written by iadvize-erasure plan, or the ledger of a run whose held requests are decided');
  addRunFlags(command, ['decisions', 'approve', 'reviewer', ...LEDGER_FLAGS, ...API_FLAGS, 'shard'], {
    approve: 'erase every held target of these held (needs_review) requests: comma-separated, repeatable',
    ledger: `the ledger a plan's run appends to (default: ${DEFAULT_LEDGER}); on a ledger, that ledger itself`,
    report: `per-request CSV report (default: ${DEFAULT_REPORT}; on a ledger x.ledger.jsonl, x.report.csv beside it)`,
  });
  addUmaskOption(command);
  addJsonOption(command);
  command.action(async (subjectPath: string, flags: RawApplyFlags & { json?: boolean }) => {
    applyUmask(flags.umask);
    const { exitCode, result, setup } = await applySubject(subjectPath, flags, parseConnection(flags, process.env));
    printSummary(
      summaryOfRun({ command: 'apply', result, ledgerPath: setup.run.ledgerPath, reportPath: setup.run.reportPath, again: commandLineOf() }),
      flags.json,
    );
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

/**
 * `apply`, and the review page's apply button: a plan as planned, or a ledger's held requests, with
 * the held targets erased as the decisions file or --approve says. One path for both, so the page
 * can only do what the command does.
 */
export async function applySubject(
  subjectPath: string,
  flags: RawApplyFlags,
  connection: ApiConnection,
): Promise<{ exitCode: number; result: RunResult; setup: RunSetup }> {
  const approve = parseApprovals(flags.approve ?? []);
  // what is held, and where its inputs are, matters only to what decides it: a plan applied as planned is read once, by planRun
  const decides = approve.size > 0 || flags.decisions !== undefined || (await subjectKindOf(subjectPath)) === 'ledger';
  const subject = decides ? await readHeldSubject(subjectPath) : undefined;
  if (subject !== undefined) checkApprovals(subject, approve);
  const decisions = flags.decisions !== undefined ? await readDecisions(flags.decisions) : undefined;
  if (subject !== undefined && decisions !== undefined) {
    checkDecisions(subject, decisions.file, flags.decisions!);
    const both = decisions.file.requests.filter((request) => approve.has(request.requestId)).map((request) => request.requestId);
    if (both.length > 0) throw new UsageError(`--approve names requests the decisions file decides too: ${both.slice(0, 10).join(', ')}`);
  }
  const decided = {
    ...(approve.size > 0 ? { approve, reviewer: parseReviewer(flags.reviewer) } : {}),
    ...(decisions !== undefined ? { decisions: { file: resolve(flags.decisions!), sha256: decisions.sha256, byRequest: heldDecisions(decisions.file) } } : {}),
  };
  const common = {
    concurrency: parseConcurrency(flags.concurrency),
    dryRun: false,
    endpoint: connection.endpoint,
    ...(flags.forceLedger === true ? { forceLedger: true } : {}),
    ...decided,
  };
  const run = subject?.kind === 'ledger' ? ledgerRun(subject, flags, common) : await planRun(subjectPath, flags, common);
  const setup: RunSetup = { run, ...connection };
  const result = await runWithNotice(setup);
  if (subject?.kind === 'ledger') await refreshDecidedFile(subject.path, result);
  return { exitCode: exitCodeOf(result.outcome), result, setup };
}

type CommonOptions = Pick<RunOptions, 'concurrency' | 'dryRun' | 'endpoint' | 'forceLedger' | 'approve' | 'reviewer' | 'decisions'>;

async function planRun(planPath: string, flags: RawApplyFlags, common: CommonOptions): Promise<RunOptions> {
  const { plan, text } = await readPlan(planPath);
  await checkPlanInputs(plan, planPath);
  return {
    ...common,
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    reportPath: flags.report ?? DEFAULT_REPORT,
    projectIds: plan.options.projectIds,
    maxVisitorsPerRequest: plan.options.maxVisitorsPerRequest,
    interval: plan.options.interval,
    // recorded in the run event as the plan read the files, so that verify reads them the same way
    ...(plan.options.defaultCountry !== null && isSupportedCountry(plan.options.defaultCountry) ? { defaultCountry: plan.options.defaultCountry } : {}),
    ...(plan.options.encoding != null ? { encoding: plan.options.encoding } : {}),
    ...(plan.options.dateOrder !== undefined ? { dateOrder: plan.options.dateOrder } : {}),
    ...(plan.options.sheet != null ? { sheet: plan.options.sheet } : {}),
    source: { kind: 'plan', path: planPath, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), plan },
    ...(flags.shard !== undefined ? { shard: parseShardFlag(flags.shard) } : {}),
  };
}

/** A ledger's held requests, decided: the run appends to that very ledger, under the options of the run that held them. */
function ledgerRun(subject: HeldSubject, flags: RawApplyFlags, common: CommonOptions): RunOptions {
  const requestIds = new Set([...(common.approve ?? []), ...(common.decisions?.byRequest.keys() ?? [])]);
  if (requestIds.size === 0)
    throw new UsageError(`apply on a ledger decides its held requests: give --decisions <file> (iadvize-erasure review writes one) or --approve <ids>`);
  if (flags.ledger !== undefined && resolve(flags.ledger) !== subject.path)
    throw new UsageError('apply <ledger> appends to that ledger: --ledger cannot name another');
  if (flags.shard !== undefined) throw new UsageError('--shard splits a plan or request files, not the held requests of a ledger');
  const { source, options } = heldWorkOf(subject, requestIds);
  return {
    ...common,
    source,
    ledgerPath: subject.path,
    reportPath: flags.report ?? reportBesideLedger(subject.path),
    projectIds: options.projectIds,
    maxVisitorsPerRequest: options.maxVisitorsPerRequest,
    interval: options.interval,
    ...(options.defaultCountry !== undefined ? { defaultCountry: options.defaultCountry } : {}),
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.dateOrder !== undefined ? { dateOrder: options.dateOrder } : {}),
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
  };
}

/** "x.ledger.jsonl" → "x.report.csv" (the default ledger's report, and a watched file's, are named so). */
function reportBesideLedger(ledgerPath: string): string {
  const stem = ledgerPath.endsWith(LEDGER_SUFFIX) ? ledgerPath.slice(0, -LEDGER_SUFFIX.length) : ledgerPath;
  return `${stem}${REPORT_SUFFIX}`;
}

/** Only held requests can be released: a typo must not pass unnoticed. */
function checkApprovals(subject: HeldSubject, approve: ReadonlySet<string>): void {
  const held = new Set(subject.requests.map((request) => request.requestId));
  const unknown = [...approve].filter((requestId) => !held.has(requestId));
  const unresolved = unknown.filter((requestId) => subject.withoutResolution.includes(requestId));
  if (unresolved.length > 0) {
    throw new UsageError(
      `the ledger records no resolution for ${unresolved.slice(0, 10).join(', ')} (an older version held them): release them with run <files> --approve`,
    );
  }
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).join(', ');
    throw new UsageError(
      `--approve names requests the ${subject.kind} does not hold for review: ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`,
    );
  }
}
