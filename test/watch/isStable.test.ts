import { describe, expect, test } from '@jest/globals';
import { DEFAULT_QUIET_MS, isCandidateName, isStable } from '../../src/watch/isStable.js';
import { exitCodeOf, outcomeOfExitCode } from '../../src/commands/exitCodes.js';
import { worseOutcome } from '../../src/outcome/outcome.js';

/** The watcher's exit code over two files' (watchFolder keeps the worse outcome). */
const worseExitCode = (a: number, b: number) => exitCodeOf(worseOutcome(outcomeOfExitCode(a), outcomeOfExitCode(b)));

describe('isCandidateName', () => {
  test.each(['requests.csv', 'a.json', 'x.ndjson'])('%s is taken', (name) => expect(isCandidateName(name)).toBe(true));
  test.each(['.hidden.csv', 'upload.csv.tmp', 'upload.csv.partial', '.~lock.requests.csv#'])('%s is ignored', (name) =>
    expect(isCandidateName(name)).toBe(false),
  );
});

describe('isStable', () => {
  const now = 1_000_000;
  const quiet = { size: 10, mtimeMs: now - DEFAULT_QUIET_MS };

  test('unchanged since the previous look and quiet long enough', () => expect(isStable(quiet, quiet, now)).toBe(true));
  test('first sighting: not yet', () => expect(isStable(undefined, quiet, now)).toBe(false));
  test('size changed', () => expect(isStable({ ...quiet, size: 5 }, quiet, now)).toBe(false));
  test('mtime changed with the same size', () => expect(isStable({ ...quiet, mtimeMs: quiet.mtimeMs - 1 }, quiet, now)).toBe(false));
  test('unchanged but written less than DEFAULT_QUIET_MS ago', () => {
    const fresh = { size: 10, mtimeMs: now - DEFAULT_QUIET_MS + 1 };
    expect(isStable(fresh, fresh, now)).toBe(false);
  });
  test('a longer quiet time (--quiet) holds a file the default would take', () => {
    expect(isStable(quiet, quiet, now, 5_000)).toBe(false);
    expect(isStable(quiet, quiet, now + 5_000 - DEFAULT_QUIET_MS, 5_000)).toBe(true);
  });
});

describe('worseExitCode', () => {
  test.each([
    [0, 2, 2],
    [2, 0, 2],
    [2, 3, 3],
    [3, 2, 3],
    [3, 1, 1],
    [0, 0, 0],
  ])('worse of %i and %i is %i', (a, b, expected) => expect(worseExitCode(a, b)).toBe(expected));
});
