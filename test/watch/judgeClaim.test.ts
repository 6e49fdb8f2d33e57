import { describe, expect, test } from '@jest/globals';
import { claimedNameFor, droppedNameOf } from '../../src/watch/claimedName.js';
import { isLockLive, judgeClaim, LEASE_MS, type Liveness, type LockView } from '../../src/watch/judgeClaim.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const HOST = 'watcher-a';
const OWN_PID = 1;
const LIVE_PID = 4242;
const DEAD_PID = 5151;

/** An injected clock and process table: LIVE_PID runs on this host, DEAD_PID does not. */
const liveness: Liveness = { nowMs: NOW, host: HOST, pid: OWN_PID, leaseMs: LEASE_MS, isProcessAlive: (pid) => pid === LIVE_PID };

const lock = (pid: number, ageMs: number, host = HOST): LockView => ({
  holder: { pid, host, startedAt: new Date(NOW - ageMs).toISOString(), runId: 'r' },
  mtimeMs: NOW - ageMs,
});

describe('isLockLive', () => {
  test('no lock file: not live', () => expect(isLockLive(undefined, liveness)).toBe(false));
  test('a live process of this host, refreshed recently: live', () => expect(isLockLive(lock(LIVE_PID, 1_000), liveness)).toBe(true));
  test('a dead process of this host: not live at once, without waiting for the lease', () => expect(isLockLive(lock(DEAD_PID, 1_000), liveness)).toBe(false));
  test('another host, refreshed within the lease: live (its process cannot be checked from here)', () =>
    expect(isLockLive(lock(DEAD_PID, LEASE_MS, 'watcher-b'), liveness)).toBe(true));
  test('another host, not refreshed for longer than the lease: not live', () =>
    expect(isLockLive(lock(LIVE_PID, LEASE_MS + 1, 'watcher-b'), liveness)).toBe(false));
  test('a live process not refreshed for longer than the lease (hung): not live', () => expect(isLockLive(lock(LIVE_PID, LEASE_MS + 1), liveness)).toBe(false));
  test('our own pid (a previous container, pid 1 again): live until the lease ends, as acquireRunLock judges it', () => {
    expect(isLockLive(lock(OWN_PID, LEASE_MS - 1), liveness)).toBe(true);
    expect(isLockLive(lock(OWN_PID, LEASE_MS + 1), liveness)).toBe(false);
  });
  test('a lock being written (no holder yet): live until the lease ends', () => {
    expect(isLockLive({ mtimeMs: NOW - 10 }, liveness)).toBe(true);
    expect(isLockLive({ mtimeMs: NOW - LEASE_MS - 1 }, liveness)).toBe(false);
  });
});

describe('judgeClaim', () => {
  const claimedLongAgo = NOW - 60 * 60_000;

  test('a file being processed (claim and ledger locks live): live', () => {
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: lock(LIVE_PID, 5_000), ledgerLock: lock(LIVE_PID, 5_000) }, liveness)).toBe('live');
  });

  test('just claimed, its ledger not locked yet: the claim lock alone keeps it live, however old the input', () => {
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: lock(LIVE_PID, 0) }, liveness)).toBe('live');
  });

  test('being put away after its run (ledger lock released): live', () => {
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: lock(LIVE_PID, 3_000) }, liveness)).toBe('live');
  });

  test('its watcher was killed (claim and ledger locks name a dead process): orphaned at once', () => {
    expect(judgeClaim({ inputChangedMs: NOW - 2_000, claimLock: lock(DEAD_PID, 2_000), ledgerLock: lock(DEAD_PID, 2_000) }, liveness)).toBe('orphaned');
  });

  test('its watcher on another node stopped refreshing: orphaned only once the lease is over', () => {
    const other = (ageMs: number) => lock(LIVE_PID, ageMs, 'watcher-b');
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: other(LEASE_MS), ledgerLock: other(LEASE_MS) }, liveness)).toBe('live');
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: other(LEASE_MS + 1), ledgerLock: other(LEASE_MS + 1) }, liveness)).toBe('orphaned');
  });

  test('a stale claim lock but a live ledger lock: live (either lock is enough)', () => {
    expect(judgeClaim({ inputChangedMs: claimedLongAgo, claimLock: lock(DEAD_PID, 1_000), ledgerLock: lock(LIVE_PID, 1_000) }, liveness)).toBe('live');
  });

  test('a stale claim lock without a file (killed between locking and renaming): orphaned, so the lock is cleared', () => {
    expect(judgeClaim({ claimLock: lock(DEAD_PID, 1_000) }, liveness)).toBe('orphaned');
  });

  test('no claim lock and no file: put away since it was listed', () => expect(judgeClaim({}, liveness)).toBe('gone'));

  test('no claim lock (an older watcher): live while the claim is younger than the lease, orphaned after', () => {
    expect(judgeClaim({ inputChangedMs: NOW - LEASE_MS }, liveness)).toBe('live');
    expect(judgeClaim({ inputChangedMs: NOW - LEASE_MS - 1 }, liveness)).toBe('orphaned');
    expect(judgeClaim({ inputChangedMs: NOW - LEASE_MS - 1, ledgerLock: lock(LIVE_PID, 1_000) }, liveness)).toBe('live');
  });
});

describe('claimed names', () => {
  test('carry the claim time and pid, and give back the dropped name', () => {
    const claimed = claimedNameFor('requests 2026-03.csv', NOW, 4242);
    expect(claimed).toBe('20260301T120000000Z-4242-requests 2026-03.csv');
    expect(droppedNameOf(claimed)).toBe('requests 2026-03.csv');
  });

  test('a dropped name that looks claimed is kept whole', () => {
    const inner = claimedNameFor('a.csv', NOW, 7);
    expect(droppedNameOf(claimedNameFor(inner, NOW, 8))).toBe(inner);
  });

  test.each(['a.csv', '2026-a.csv', '20260301T120000000Z-a.csv', '20260301T120000000Z-12-'])('%s is not a claimed name', (name) =>
    expect(droppedNameOf(name)).toBeUndefined(),
  );
});
