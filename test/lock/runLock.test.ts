import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LockHeldError, type LockHolder } from '../../src/lock/lockHeldError.js';
import { acquireRunLock, isProcessAlive } from '../../src/lock/runLock.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Built by the jest global setup (test/buildOnce.js); child processes cannot load the .ts source. */
const BUILT_RUN_LOCK = join(REPO_ROOT, 'dist/lock/runLock.js');

/** Far above any real pid_max, and declared dead through the injected check. */
const FAKE_DEAD_PID = 2 ** 30;
const dead = () => false;

let dir: string;
let ledger: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-'));
  ledger = join(dir, 'ledger.jsonl');
  lockPath = `${ledger}.lock`;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function holderOf(overrides: Partial<LockHolder> = {}): LockHolder {
  return { pid: FAKE_DEAD_PID, host: hostname(), startedAt: '2024-01-02T03:04:05.000Z', runId: 'old-run', ...overrides };
}

async function writeLock(holder: LockHolder): Promise<void> {
  await writeFile(lockPath, `${JSON.stringify(holder)}\n`);
}

async function readLock(): Promise<unknown> {
  return JSON.parse(await readFile(lockPath, 'utf8'));
}

async function heldError(promise: Promise<unknown>): Promise<LockHeldError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LockHeldError);
  return error as LockHeldError;
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  if (child.pid === undefined) throw new Error('the child did not start');
  return child.pid;
}

describe('acquireRunLock', () => {
  test('writes pid, host, start time and runId beside the ledger, and release removes the file', async () => {
    const lock = await acquireRunLock(ledger, 'run-1', { nowMs: () => Date.parse('2025-06-01T10:00:00Z'), hostname: 'box-a' });

    expect(lock.path).toBe(lockPath);
    expect(await readLock()).toEqual({ pid: process.pid, host: 'box-a', startedAt: '2025-06-01T10:00:00.000Z', runId: 'run-1' });

    await lock.release();

    expect(existsSync(lockPath)).toBe(false);
  });

  test('creates the ledger directory when it is missing', async () => {
    const nested = join(dir, 'a', 'b', 'ledger.jsonl');

    const lock = await acquireRunLock(nested, 'run-1');

    expect(existsSync(`${nested}.lock`)).toBe(true);
    await lock.release();
  });

  test('a second acquire while the lock is held throws LockHeldError naming the holder', async () => {
    const first = await acquireRunLock(ledger, 'run-1');

    const error = await heldError(acquireRunLock(ledger, 'run-2'));

    expect(error.name).toBe('LockHeldError');
    expect(error.holder).toMatchObject({ pid: process.pid, runId: 'run-1' });
    expect(error.lockPath).toBe(lockPath);
    expect((await readLock()) as LockHolder).toMatchObject({ runId: 'run-1' });
    await first.release();
  });

  test('a live holder on this host is held, with a one-line message naming file, pid, host and start time', async () => {
    await writeLock(holderOf({ pid: 4242 }));

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: (pid) => pid === 4242 }));

    expect(error.reason).toBe('running');
    expect(error.message).toContain(lockPath);
    expect(error.message).toContain('pid 4242');
    expect(error.message).toContain(`host ${hostname()}`);
    expect(error.message).toContain('2024-01-02T03:04:05.000Z');
    expect(error.message).not.toContain('\n');
  });

  test('a lock left by this same process is held even if the liveness check says dead', async () => {
    await writeLock(holderOf({ pid: process.pid, runId: 'earlier-run' }));

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: dead }));

    expect(error.reason).toBe('own_process');
    expect(await readLock()).toMatchObject({ runId: 'earlier-run' });
  });

  test('release leaves alone a lock file that is no longer ours', async () => {
    const lock = await acquireRunLock(ledger, 'run-1');
    await writeLock(holderOf({ runId: 'someone-else' }));

    await lock.release();

    expect(await readLock()).toMatchObject({ runId: 'someone-else' });
  });

  test('release after the lock file is gone does nothing', async () => {
    const lock = await acquireRunLock(ledger, 'run-1');
    await rm(lockPath);

    await expect(lock.release()).resolves.toBeUndefined();
  });

  test('a stale lock whose process is gone is taken over, and only our lock file remains', async () => {
    await writeLock(holderOf());

    const lock = await acquireRunLock(ledger, 'run-2', { isProcessAlive: dead });

    expect(await readLock()).toMatchObject({ pid: process.pid, runId: 'run-2' });
    expect(await readdir(dir)).toEqual(['ledger.jsonl.lock']);
    await lock.release();
  });

  test('a lock from another host is held, and the message says how to remove it', async () => {
    await writeLock(holderOf({ host: 'other-box' }));

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: dead }));

    expect(error.reason).toBe('other_host');
    expect(error.holder).toMatchObject({ host: 'other-box', pid: FAKE_DEAD_PID });
    expect(error.message).toContain('cannot be checked');
    expect(error.message).toContain(`delete ${lockPath}`);
    expect(await readLock()).toMatchObject({ host: 'other-box' });
  });

  test('a garbled lock file written just now is held, as a run may be writing it', async () => {
    await writeFile(lockPath, '{"pid":');

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: dead }));

    expect(error.reason).toBe('unreadable');
    expect(error.holder).toBeUndefined();
    expect(await readFile(lockPath, 'utf8')).toBe('{"pid":');
  });

  test('an empty lock file written just now is held', async () => {
    await writeFile(lockPath, '');

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: dead }));

    expect(error.reason).toBe('unreadable');
  });

  test('a lock file that is completed while we re-read it is judged by its content', async () => {
    await writeFile(lockPath, '');
    setTimeout(() => void writeLock(holderOf({ pid: 4242 })), 60);

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: (pid) => pid === 4242 }));

    expect(error.reason).toBe('running');
    expect(error.holder).toMatchObject({ pid: 4242 });
  });

  test('a garbled lock file older than a few seconds is taken over', async () => {
    await writeFile(lockPath, '{"pid":');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, aMinuteAgo, aMinuteAgo);

    const lock = await acquireRunLock(ledger, 'run-2');

    expect(await readLock()).toMatchObject({ pid: process.pid, runId: 'run-2' });
    await lock.release();
  });

  test('two acquires started at once: exactly one gets the lock', async () => {
    const results = await Promise.allSettled([acquireRunLock(ledger, 'run-a'), acquireRunLock(ledger, 'run-b')]);

    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((result) => (result as PromiseRejectedResult).reason)).toEqual([expect.any(LockHeldError)]);
  });

  test('ten acquires over the same stale lock: exactly one takes it over', async () => {
    await writeLock(holderOf());
    const runIds = Array.from({ length: 10 }, (_, index) => `run-${index}`);

    const results = await Promise.allSettled(runIds.map((runId) => acquireRunLock(ledger, runId, { isProcessAlive: dead })));

    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const error of lost) expect(error).toBeInstanceOf(LockHeldError);
    expect(await readLock()).toMatchObject({ runId: won[0]?.holder.runId });
    expect(await readdir(dir)).toEqual(['ledger.jsonl.lock']);
  });

  test('a stale lock that another live run is taking over right now is reported held', async () => {
    await writeLock(holderOf());
    await writeFile(`${lockPath}.takeover-0`, JSON.stringify(holderOf({ pid: process.pid, runId: 'claimer' })));

    const error = await heldError(acquireRunLock(ledger, 'run-2', { isProcessAlive: dead }));

    expect(error.reason).toBe('contended');
    expect(await readLock()).toMatchObject({ runId: 'old-run' });
  });

  test('a takeover claim abandoned by a dead run does not block the next takeover', async () => {
    await writeLock(holderOf());
    await writeFile(`${lockPath}.takeover-0`, JSON.stringify(holderOf({ runId: 'crashed-claimer' })));

    const lock = await acquireRunLock(ledger, 'run-2', { isProcessAlive: dead });

    expect(await readLock()).toMatchObject({ runId: 'run-2' });
    // the abandoned claim is left: only its creator may delete it
    expect((await readdir(dir)).sort()).toEqual(['ledger.jsonl.lock', 'ledger.jsonl.lock.takeover-0']);
    await lock.release();
  });

  test('child processes racing over a stale lock of a dead pid: exactly one gets it', async () => {
    expect(existsSync(BUILT_RUN_LOCK)).toBe(true);
    await writeLock(holderOf({ pid: await deadPid() }));
    const children = Array.from({ length: 6 }, (_, index) => startLockChild(ledger, `child-${index}`));
    await Promise.all(children.map((child) => child.next())); // every child is up: "ready"

    for (const child of children) child.send('go');
    const outcomes = await Promise.all(children.map((child) => child.next()));

    expect(outcomes.filter((outcome) => outcome === 'acquired')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'held')).toHaveLength(5);
    const winner = children[outcomes.indexOf('acquired')];
    expect(await readLock()).toMatchObject({ pid: winner?.pid });
    winner?.send('release');
    expect(await winner?.next()).toBe('released');
    await Promise.all(children.map((child) => child.exited));
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('heartbeat and lease', () => {
  test('a lock not refreshed for longer than the lease is taken over, even from another host or our own pid', async () => {
    const longAgo = new Date(Date.now() - 10 * 60_000);
    for (const holder of [holderOf({ host: 'pod-that-died' }), holderOf({ pid: process.pid })]) {
      await writeLock(holder);
      await utimes(lockPath, longAgo, longAgo);

      const lock = await acquireRunLock(ledger, 'new-run', { leaseMs: 60_000 });

      expect(await readLock()).toMatchObject({ runId: 'new-run', pid: process.pid });
      await lock.release();
    }
  });

  test("the holder's heartbeat keeps its lock fresh, so a live run is never taken over for want of one", async () => {
    const lock = await acquireRunLock(ledger, 'live-run', { heartbeatMs: 20 });
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(lockPath, longAgo, longAgo);

    await new Promise((resolve) => setTimeout(resolve, 120));
    const error = await heldError(acquireRunLock(ledger, 'second-run', { leaseMs: 60_000, hostname: 'another-host' }));

    expect(error.reason).toBe('other_host');
    await lock.release();
  });
});

describe('isProcessAlive', () => {
  test('says this process is alive', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  test('says an exited child process is gone', async () => {
    expect(isProcessAlive(await deadPid())).toBe(false);
  });
});

const CHILD_SCRIPT = `
import { createInterface } from 'node:readline';
const { acquireRunLock } = await import(process.env.RUN_LOCK_URL);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
console.log('ready');
await lines.next();
try {
  const lock = await acquireRunLock(process.env.LEDGER, process.env.RUN_ID);
  console.log('acquired');
  await lines.next();
  await lock.release();
  console.log('released');
} catch (error) {
  console.log(error.name === 'LockHeldError' ? 'held' : 'error ' + error.message);
}
process.exit(0);
`;

/** A child process that takes the lock on "go" and, if it won, releases it on "release"; it reports each step as a line. */
function startLockChild(ledgerPath: string, runId: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
    env: { PATH: process.env.PATH ?? '', LEDGER: ledgerPath, RUN_ID: runId, RUN_LOCK_URL: pathToFileURL(BUILT_RUN_LOCK).href },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    }),
  );
  if (!child.stdout || !child.stdin) throw new Error('the child has no pipes');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const stdin = child.stdin;
  return {
    pid: child.pid,
    exited,
    send: (line: string) => stdin.write(`${line}\n`),
    next: async () => (await lines.next()).value as string | undefined,
  };
}
