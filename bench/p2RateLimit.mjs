import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../dist/simulator/startSimulator.js';
import { p1Dataset, writeP1Requests } from './lib/p1Dataset.mjs';
import { runChild } from './lib/runChild.mjs';

const LIMIT = { perSecond: 50, burst: 5 };
const LATENCY_MS = 20;
const CONCURRENCY = 16;
/** Long enough for the learner's start-up (three or four 1 s pauses) to be a fair share of a real run. */
export const LEARNING_SECONDS = Number(process.env.BENCH_P2_SECONDS ?? 180);
const GIVEN_RATE_SECONDS = Number(process.env.BENCH_P2_GIVEN_SECONDS ?? 30);

/**
 * P2: the tool's pipeline against a simulator limited to 50 calls/s (burst 5), with --rate unset
 * and with --rate 50. It runs on the P1 account, which holds far more work than the window
 * (20 400 calls), and is stopped as by SIGTERM when the window ends. The server's own verdicts
 * (its token bucket) are counted, in the bench's process, for the calls that reach it within
 * the window starting at the first call.
 */
export async function measureRateLimit() {
  const learnt = await runAgainstLimit(undefined, LEARNING_SECONDS);
  const given = await runAgainstLimit(LIMIT.perSecond, GIVEN_RATE_SECONDS);
  return [rowFor('P2a', '--rate unset', learnt), rowFor('P2b', `--rate ${LIMIT.perSecond}`, given)];
}

function rowFor(id, label, result) {
  const achieved = result.accepted / result.seconds;
  const refusedShare = result.refused / (result.accepted + result.refused);
  const pass = achieved >= 0.95 * LIMIT.perSecond && refusedShare < 0.01;
  return {
    id,
    figure: `P2 rate-limit, ${label} (calls/s)`,
    measured: achieved,
    baseline: LIMIT.perSecond,
    ratio: achieved / LIMIT.perSecond,
    target: '>= 0.95, 429 < 1%',
    pass,
    notes: [
      ...(process.env.BENCH_VERBOSE
        ? [`per second (accepted/refused): ${result.timeline.map((s) => `${s?.accepted ?? 0}/${s?.refused ?? 0}`).join(' ')}`]
        : []),
      `${result.seconds} s against ${LIMIT.perSecond}/s burst ${LIMIT.burst}, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}: ${result.accepted} calls accepted, ${result.refused} answered 429 (${(100 * refusedShare).toFixed(2)}%)`,
    ],
  };
}

async function runAgainstLimit(ratePerSecond, seconds) {
  const dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-bench-p2-'));
  const dataset = p1Dataset();
  const simulator = await startSimulator({ dataset, faults: { latencyMs: LATENCY_MS, rateLimit: LIMIT } });
  // The server's verdict on each call, as its token bucket gives it: the only fair judge of "achieved".
  const verdicts = [];
  const takeRateToken = simulator.faults.takeRateToken.bind(simulator.faults);
  simulator.faults.takeRateToken = () => {
    const wait = takeRateToken();
    verdicts.push({ atMs: performance.now(), accepted: wait === null });
    return wait;
  };
  try {
    const file = await writeP1Requests(dir, dataset);
    await runChild('toolRun', {
      endpoint: simulator.graphqlUrl,
      token: 'simulator-static-token',
      file,
      ledgerPath: join(dir, 'ledger.jsonl'),
      reportPath: join(dir, 'report.csv'),
      concurrency: CONCURRENCY,
      projectIds: dataset.projects.map((project) => project.id),
      ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
      // The child's clock starts a little before its first call: stop well after the window.
      stopAfterMs: seconds * 1000 + 3000,
    });
  } finally {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  }
  const startMs = verdicts[0]?.atMs ?? 0;
  if (process.env.BENCH_TRACE)
    process.stderr.write(
      `first verdicts: ${verdicts
        .slice(0, 40)
        .map((v) => `${(v.atMs - startMs).toFixed(0)}${v.accepted ? '' : 'X'}`)
        .join(' ')}\n`,
    );
  const inWindow = verdicts.filter((verdict) => verdict.atMs < startMs + seconds * 1000);
  const accepted = inWindow.filter((verdict) => verdict.accepted).length;
  return { seconds, accepted, refused: inWindow.length - accepted, timeline: perSecond(inWindow, startMs) };
}

/** Accepted and refused calls per second of the window, for the --verbose timeline. */
function perSecond(verdicts, startMs) {
  const seconds = [];
  for (const verdict of verdicts) {
    const second = Math.floor((verdict.atMs - startMs) / 1000);
    seconds[second] ??= { accepted: 0, refused: 0 };
    seconds[second][verdict.accepted ? 'accepted' : 'refused'] += 1;
  }
  return seconds;
}
