import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js';
import { ExitError, UsageError } from '../cliErrors.js';
import { checkPlanInputs } from '../plan/checkPlanInputs.js';
import type { Plan } from '../plan/plan.js';
import { readPlan } from '../plan/readPlan.js';
import type { RunOptions } from '../run/runErasure.js';
import { parseApprovals, parseConcurrency, parseConnection, parseShardFlag } from './parseRunFlags.js';
import { runAndReport } from './runAndReport.js';
import { addRunFlags, API_FLAGS, DEFAULT_LEDGER, DEFAULT_REPORT, LEDGER_FLAGS, type RawRunFlags } from './runFlags.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';

type RawApplyFlags = Pick<RawRunFlags, 'ledger' | 'report' | 'concurrency' | 'rate' | 'endpoint' | 'approve' | 'shard' | 'forceLedger' | 'umask'>;

export function registerApplyCommand(program: Command): void {
  const command = program
    .command('apply')
    .description('Execute a plan exactly: anonymize the targets it lists, resolving nothing again; refuses a plan whose input files changed')
    .argument('<plan>', 'a plan written by iadvize-erasure plan');
  addRunFlags(command, [...LEDGER_FLAGS, 'approve', ...API_FLAGS, 'shard'], {
    approve: "release these held (needs_review) requests with the plan's targets: comma-separated, repeatable",
  });
  addUmaskOption(command);
  command.action(async (planPath: string, flags: RawApplyFlags) => {
    applyUmask(flags.umask);
    const exitCode = await applyCommand(planPath, flags);
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

async function applyCommand(planPath: string, flags: RawApplyFlags): Promise<number> {
  const connection = parseConnection(flags, process.env);
  const { plan, text } = await readPlan(planPath);
  const approve = parseApprovals(flags.approve ?? []);
  checkApprovals(plan, approve);
  await checkPlanInputs(plan, planPath);
  const run: RunOptions = {
    ledgerPath: flags.ledger ?? DEFAULT_LEDGER,
    reportPath: flags.report ?? DEFAULT_REPORT,
    concurrency: parseConcurrency(flags.concurrency),
    projectIds: plan.options.projectIds,
    maxVisitorsPerRequest: plan.options.maxVisitorsPerRequest,
    interval: plan.options.interval,
    // recorded in the run event as the plan read the files, so that verify reads them the same way
    ...(plan.options.defaultCountry !== null && isSupportedCountry(plan.options.defaultCountry) ? { defaultCountry: plan.options.defaultCountry } : {}),
    ...(plan.options.encoding != null ? { encoding: plan.options.encoding } : {}),
    ...(plan.options.dateOrder !== undefined ? { dateOrder: plan.options.dateOrder } : {}),
    dryRun: false,
    approve,
    endpoint: connection.endpoint,
    ...(flags.forceLedger === true ? { forceLedger: true } : {}),
    source: { kind: 'plan', path: planPath, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), plan },
    ...(flags.shard !== undefined ? { shard: parseShardFlag(flags.shard) } : {}),
  };
  return runAndReport({ run, ...connection });
}

/** Only held requests of this plan can be released: a typo must not pass unnoticed. */
function checkApprovals(plan: Plan, approve: ReadonlySet<string>): void {
  const held = new Set(plan.requests.filter((request) => request.status === 'needs_review').map((request) => request.requestId));
  const unknown = [...approve].filter((requestId) => !held.has(requestId));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).join(', ');
    throw new UsageError(
      `--approve names requests the plan does not hold for review: ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`,
    );
  }
}
