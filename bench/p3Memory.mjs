import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './lib/runChild.mjs';

const LARGE_ROWS = 1_000_000;
const SMALL_ROWS = 10_000;
// the control: twice the large file, to tell memory that grows with rows from a fixed cost
const DOUBLE_ROWS = 2 * LARGE_ROWS;
// the second control: both files again with V8's generations capped far below their defaults; a
// read that kept anything per row would fail here with "heap out of memory"
const CAPPED_HEAP = ['--max-old-space-size=32', '--max-semi-space-size=1'];

/**
 * P3: peak RSS of a process that reads and validates a 1 000 000-row request file, against the
 * same for a 10 000-row file of the same shape. Each in its own child process; nothing else runs
 * in it. Resolve-free: readRequests is the first stage of `run`, before any API call.
 */
export async function measureMemory() {
  const dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-bench-p3-'));
  try {
    const large = await writeRequestFile(join(dir, 'large.csv'), LARGE_ROWS);
    const small = await writeRequestFile(join(dir, 'small.csv'), SMALL_ROWS);
    const double = await writeRequestFile(join(dir, 'double.csv'), DOUBLE_ROWS);
    const smallRun = await runChild('readRequestFile', { file: small.path });
    const largeRun = await runChild('readRequestFile', { file: large.path });
    const doubleRun = await runChild('readRequestFile', { file: double.path });
    const smallCappedRun = await runChild('readRequestFile', { file: small.path }, { nodeArgs: CAPPED_HEAP });
    const largeCappedRun = await runChild('readRequestFile', { file: large.path }, { nodeArgs: CAPPED_HEAP });
    const runs = [
      [smallRun, small],
      [largeRun, large],
      [doubleRun, double],
      [smallCappedRun, small],
      [largeCappedRun, large],
    ];
    for (const [run, expected] of runs) {
      if (run.requests !== expected.requests || run.rejected !== expected.rejected) {
        throw new Error(`P3: read ${run.requests} requests and ${run.rejected} rejected, expected ${expected.requests} and ${expected.rejected}`);
      }
    }
    const mib = (bytes) => bytes / 2 ** 20;
    const ratio = largeRun.maxRssBytes / smallRun.maxRssBytes;
    return [
      {
        id: 'P3',
        figure: 'P3 peak RSS, read+validate (MiB)',
        measured: mib(largeRun.maxRssBytes),
        baseline: mib(smallRun.maxRssBytes),
        ratio,
        target: '<= 1.2',
        pass: ratio <= 1.2,
        notes: [
          `${LARGE_ROWS} rows (${(large.bytes / 2 ** 20).toFixed(0)} MiB CSV, ${large.requests} requests, ${large.rejected} rejected) in ${(largeRun.elapsedMs / 1000).toFixed(1)} s vs ${SMALL_ROWS} rows of the same shape; peak RSS = process.resourceUsage().maxRSS in each child at its end`,
        ],
      },
      {
        id: 'P3',
        figure: 'P3 control: 2M rows against 1M (MiB)',
        measured: mib(doubleRun.maxRssBytes),
        baseline: mib(largeRun.maxRssBytes),
        ratio: doubleRun.maxRssBytes / largeRun.maxRssBytes,
        target: '-',
        pass: undefined,
        notes: [
          `control: ${DOUBLE_ROWS} rows in ${(doubleRun.elapsedMs / 1000).toFixed(1)} s; a ratio near 1 means the peak no longer grows with rows past 1M (what remains against 10 000 rows is a fixed cost reached on a long run)`,
        ],
      },
      {
        id: 'P3',
        figure: 'P3 control: V8 heap capped (MiB)',
        measured: mib(largeCappedRun.maxRssBytes),
        baseline: mib(smallCappedRun.maxRssBytes),
        ratio: largeCappedRun.maxRssBytes / smallCappedRun.maxRssBytes,
        target: '-',
        pass: undefined,
        notes: [
          `control: the same two files with node ${CAPPED_HEAP.join(' ')} in both children (not how the tool runs); ${LARGE_ROWS} rows read in ${(largeCappedRun.elapsedMs / 1000).toFixed(1)} s within a 32 MiB old generation`,
        ],
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A CSV as a compliance team writes one (fictitious people): one row per request, a phone on every
 * tenth, a second row for the request 50 lines above on every hundredth (merged into one request),
 * and a malformed e-mail on every thousandth (rejected).
 */
async function writeRequestFile(path, rows) {
  const out = createWriteStream(path);
  let bytes = 0;
  let requests = 0;
  let rejected = 0;
  const write = async (text) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('request_id,email,phone,received_at\n');
  for (let n = 0; n < rows; n += 1) {
    const repeatsEarlier = n % 100 === 99;
    const id = repeatsEarlier ? n - 50 : n;
    const email = n % 1000 === 500 ? `user${n}.example.com` : `user${n}@example.com`;
    const phone = n % 10 === 3 ? `+3361234${String(n % 10_000).padStart(4, '0')}` : '';
    // no run of 6 digits in a request_id: such an id is not used (it may be a phone number)
    await write(`REQ-${Math.floor(id / 1000)}-${String(id % 1000).padStart(3, '0')},${email},${phone},2025-0${(n % 9) + 1}-15\n`);
    if (repeatsEarlier) continue;
    if (n % 1000 === 500) rejected += 1;
    else requests += 1;
  }
  out.end();
  await once(out, 'finish');
  return { path, bytes, requests, rejected };
}
