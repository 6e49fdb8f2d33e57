import type { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { ExitError } from '../cliErrors.js';
import { PlanRecorder } from '../plan/planRecorder.js';
import { writePlan } from '../plan/writePlan.js';
import { isInterruption } from '../outcome/outcome.js';
import { formatShard } from '../run/shard.js';
import { DEFAULT_DATE_ORDER } from '../requests/receivedAtInstant.js';
import { packageVersion } from '../version.js';
import { checkOutputPaths } from '../ledger/checkOutputPaths.js';
import { addUmaskOption, applyUmask } from './umaskFlag.js';
import { exitCodeOf } from './exitCodes.js';
import { parseRunOptions } from './parseRunFlags.js';
import { runWithNotice } from './runAndReport.js';
import { commandLineOf } from './summary/commandLine.js';
import { summaryOfPlan } from './summary/planSummary.js';
import { addJsonOption, printSummary } from './summary/printSummary.js';
import { addRunFlags, API_FLAGS, READING_FLAGS, RESOLUTION_FLAGS, type RawRunFlags } from './runFlags.js';

const DEFAULT_PLAN = 'plan.json';

interface RawPlanFlags extends Omit<RawRunFlags, 'dryRun' | 'approve'> {
  out?: string;
  json?: boolean;
}

export function registerPlanCommand(program: Command): void {
  const command = program
    .command('plan')
    .description('Resolve the request files without mutating, and write the plan for review: targets per request, held requests, input hashes')
    .argument('<file...>', 'request files (CSV, JSON array, NDJSON)')
    .option('--out <path>', `the plan (default: ${DEFAULT_PLAN})`)
    .option('--report <path>', 'per-request CSV report of the plan (default: the plan path with .report.csv)')
    .option('--ledger <path>', "a ledger of earlier runs: requests it settled are left out, and the plan's dry run is recorded in it (default: none)");
  addRunFlags(command, ['forceLedger', ...RESOLUTION_FLAGS, ...READING_FLAGS, ...API_FLAGS, 'shard']);
  addUmaskOption(command);
  addJsonOption(command);
  command.action(async (files: string[], flags: RawPlanFlags) => {
    applyUmask(flags.umask);
    const exitCode = await planCommand(files, flags);
    if (exitCode !== 0) throw new ExitError(exitCode);
  });
}

async function planCommand(files: string[], flags: RawPlanFlags): Promise<number> {
  const out = flags.out ?? DEFAULT_PLAN;
  const report = flags.report ?? `${out.replace(/\.json$/i, '')}.report.csv`;
  // the plan is written last: a path it cannot be written to must fail before the first query
  await checkOutputPaths([out]);
  const scratch = flags.ledger === undefined ? await mkdtemp(resolve(tmpdir(), 'iadvize-erasure-plan-')) : undefined;
  try {
    const ledger = flags.ledger ?? resolve(scratch ?? '.', 'plan.ledger.jsonl');
    const options = parseRunOptions(files, { ...flags, ledger, report, dryRun: true }, process.env, Date.now());
    const recorder = new PlanRecorder();
    const result = await runWithNotice(options, recorder);
    const summaryOf = (counts?: Parameters<typeof summaryOfPlan>[0]['counts']) =>
      summaryOfPlan({
        result,
        planPath: out,
        reportPath: report,
        again: commandLineOf(),
        ...(counts !== undefined ? { counts } : {}),
        ...(flags.ledger !== undefined ? { ledgerPath: flags.ledger } : {}),
      });
    // A plan must hold every request of its files: one cut short by a signal or the circuit breaker is not written.
    if (result.stoppedBecause !== undefined || isInterruption(result.outcome)) {
      process.stderr.write(`iadvize-erasure: the plan is incomplete and was not written; run plan again\n`);
      printSummary(summaryOf(), flags.json);
      return exitCodeOf(result.outcome);
    }
    const { run } = options;
    const plan = recorder.toPlan(
      {
        planId: result.runId,
        createdAt: new Date().toISOString(),
        version: packageVersion(),
        inputs: result.inputs.map(({ file, sha256 }) => ({ file: resolve(file), sha256 })),
        options: {
          projectIds: run.projectIds,
          interval: run.interval,
          maxVisitorsPerRequest: run.maxVisitorsPerRequest,
          defaultCountry: run.defaultCountry ?? null,
          encoding: run.encoding ?? null,
          dateOrder: run.dateOrder ?? DEFAULT_DATE_ORDER,
          sheet: run.sheet ?? null,
          shard: run.shard === undefined ? null : formatShard(run.shard),
        },
      },
      files,
    );
    await writePlan(out, plan);
    printSummary(summaryOf(plan.counts), flags.json);
    return exitCodeOf(result.outcome);
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
