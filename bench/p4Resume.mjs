import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './lib/runChild.mjs';

const EVENTS = 1_000_000;
const TARGETS_PER_REQUEST = 10;
const RUNS = 3;

/**
 * P4: time for a resumed run to load a 1 000 000-event ledger and decide what is left (readLedger,
 * then the TargetRegistry and the settled requests, as runErasure does), against a plain
 * readFile + split + JSON.parse loop over the same file. Median of 3 runs, each in a fresh process.
 */
export async function measureResume() {
  const dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-bench-p4-'));
  try {
    const path = join(dir, 'ledger.jsonl');
    const written = await writeLedger(path);
    const tool = [];
    const plain = [];
    for (let run = 0; run < RUNS; run += 1) {
      tool.push(await runChild('loadLedger', { path }));
      plain.push(await runChild('parseLedgerLines', { path }));
    }
    const loaded = tool[0];
    if (loaded.events !== written.events || plain[0].events !== written.events || loaded.targets !== written.targets) {
      throw new Error(`P4: read ${loaded.events} events and ${loaded.targets} targets, wrote ${written.events} and ${written.targets}`);
    }
    const seconds = median(tool.map((result) => result.elapsedMs)) / 1000;
    const baseline = median(plain.map((result) => result.elapsedMs)) / 1000;
    return [
      {
        id: 'P4',
        figure: 'P4 resume: load 1M-event ledger (s)',
        measured: seconds,
        baseline,
        ratio: seconds / baseline,
        target: '<= 2 s',
        pass: seconds <= 2,
        notes: [
          `${written.events} events (${(written.bytes / 2 ** 20).toFixed(0)} MiB): ${written.requests} requests of ${TARGETS_PER_REQUEST} targets, each target planned then anonymized (1% failed, retried later); ${loaded.targets} targets and ${loaded.settled} settled requests decided; median of ${RUNS}, each in a fresh process`,
        ],
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * A ledger as runs write it (ledgerEvents.ts): a run event, then per request its targets planned
 * (write-ahead), each target's outcome, and the request's event; a failed target is retried by a
 * later run, which appends its outcome again. UUIDs are fictitious and deterministic.
 */
export async function writeLedger(path) {
  const out = createWriteStream(path);
  let bytes = 0;
  let events = 0;
  const write = async (event) => {
    const line = `${JSON.stringify(event)}\n`;
    bytes += Buffer.byteLength(line);
    events += 1;
    if (!out.write(line)) await once(out, 'drain');
  };
  const runId = uuid(0, 0);
  await write({
    type: 'run',
    runId,
    startedAt: '2026-01-05T02:00:00.000Z',
    version: '0.1.0',
    inputs: [{ file: 'requests.csv', sha256: 'a'.repeat(64) }],
    options: { concurrency: 4 },
  });
  let requests = 0;
  let targets = 0;
  const retried = [];
  // Each request: 10 planned + 10 outcomes + 1 request event.
  while (events + 2 * TARGETS_PER_REQUEST + 1 + retried.length <= EVENTS - 1) {
    const requestId = `REQ-${requests}`;
    const ids = [];
    for (let k = 0; k < TARGETS_PER_REQUEST; k += 1) {
      const kind = k === TARGETS_PER_REQUEST - 1 ? 'visitor' : 'conversation';
      const id = uuid(requests + 1, k);
      ids.push({ kind, id });
      await write({ type: 'target', runId, kind, id, status: 'planned', requestIds: [requestId], attempts: 0 });
    }
    targets += ids.length;
    let failed = 0;
    for (const [k, { kind, id }] of ids.entries()) {
      const fails = (requests * TARGETS_PER_REQUEST + k) % 100 === 7;
      if (fails) {
        failed += 1;
        retried.push({ kind, id, requestId });
        await write({ type: 'target', runId, kind, id, status: 'failed', requestIds: [requestId], attempts: 6, error: { name: 'BAD_GATEWAY' } });
      } else {
        await write({ type: 'target', runId, kind, id, status: 'anonymized', requestIds: [requestId], attempts: 1 });
      }
    }
    const status = failed > 0 ? 'failed' : 'completed';
    await write({
      type: 'request',
      runId,
      requestId,
      status,
      source: { file: 'requests.csv', line: requests + 2 },
      conversations: TARGETS_PER_REQUEST - 1,
      visitors: 1,
      receivedAt: '2025-12-01T00:00:00.000Z',
      ...(failed > 0 ? { reason: `${failed} of ${TARGETS_PER_REQUEST} targets failed; a re-run retries them` } : {}),
    });
    requests += 1;
  }
  // A second run retried the failed targets.
  const secondRun = uuid(0, 1);
  for (const { kind, id, requestId } of retried.splice(0)) {
    if (events >= EVENTS - 1) break;
    await write({ type: 'target', runId: secondRun, kind, id, status: 'anonymized', requestIds: [requestId], attempts: 7 });
  }
  while (events < EVENTS - 1) await write({ type: 'run', runId: secondRun, startedAt: '2026-01-06T02:00:00.000Z', version: '0.1.0', inputs: [], options: {} });
  await write({
    type: 'summary',
    runId: secondRun,
    finishedAt: '2026-01-06T02:10:00.000Z',
    requests: { completed: requests },
    targets: { anonymized: targets },
    exitCode: 0,
  });
  out.end();
  await once(out, 'finish');
  return { events, bytes, requests, targets };
}

/** A fictitious, deterministic UUID v4 for target `k` of request `n`. */
function uuid(n, k) {
  const serial = (n * 16 + k).toString(16).padStart(12, '0');
  return `5eed0000-0000-4000-8000-${serial}`;
}
