import { pino } from 'pino';
import { IadvizeClient } from '../../dist/api/iadvizeClient.js';
import { staticToken } from '../../dist/api/tokenProvider.js';
import { exitCodeOf } from '../../dist/commands/exitCodes.js';
import { runErasure } from '../../dist/run/runErasure.js';
import { childInput, cpuMsSince, report } from '../lib/runChild.mjs';

/**
 * The tool's real pipeline (runErasure, as `iadvize-erasure run` calls it) against the simulator.
 * Input: { endpoint, token, file, ledgerPath, reportPath, concurrency, projectIds, ratePerSecond?, stopAfterMs? }.
 * With stopAfterMs the run is stopped as by SIGTERM (calls in flight finish, the ledger is flushed).
 */
const input = await childInput();
const client = new IadvizeClient({
  endpoint: input.endpoint,
  tokens: staticToken(input.token),
  concurrency: input.concurrency,
  ...(input.ratePerSecond !== undefined ? { ratePerSecond: input.ratePerSecond } : {}),
});
const now = Date.now();
const stop = new AbortController();
const stopTimer = input.stopAfterMs !== undefined ? setTimeout(() => stop.abort('SIGTERM'), input.stopAfterMs) : undefined;

// BENCH_TRACE: the governor's pace once a second, on stderr (a debugging aid; not part of the figures).
const trace = process.env.BENCH_TRACE ? setInterval(() => process.stderr.write(`${client.governor.currentRate?.toFixed(2)} `), 1000) : undefined;
const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
const result = await runErasure(
  {
    source: { kind: 'files', files: [input.file] },
    ledgerPath: input.ledgerPath,
    reportPath: input.reportPath,
    concurrency: input.concurrency,
    projectIds: input.projectIds,
    maxVisitorsPerRequest: 5,
    interval: { from: new Date(now - 3 * 365 * 24 * 3600 * 1000).toISOString(), to: new Date(now).toISOString() },
    dryRun: false,
  },
  { client, logger: pino({ level: 'silent' }), version: 'bench', stop: stop.signal, stopGraceMs: 5000, exitCodeOf },
);
const elapsedMs = performance.now() - startedAt;
const cpuMs = cpuMsSince(cpuBefore);
clearTimeout(stopTimer);
clearInterval(trace);
const { governor } = client;
report({
  elapsedMs,
  cpuMs,
  exitCode: result.exitCode,
  requests: result.requests,
  stats: client.stats,
  pausedMs: governor.pausedMs,
  outsideRefusals: governor.outsideRefusals,
});
