import { describe, expect, test } from '@jest/globals';
import { changedDuringRun, type InputSnapshot } from '../../src/watch/inputSnapshot.js';
import { RequestFileError } from '../../src/requests/requestFileError.js';

const before: InputSnapshot = { size: 120, mtimeMs: 1_000, sha256: 'a'.repeat(64) };

describe('changedDuringRun', () => {
  test('the same size, mtime and SHA-256 after a run that ended normally or on another error: the file was whole', () => {
    expect(changedDuringRun(before, { ...before }, undefined)).toBe(false);
    expect(changedDuringRun(before, { ...before }, new RequestFileError('x.csv', 'unsupported_format', 'not a request file'))).toBe(false);
  });

  test('any of the three changed: the run may have finished on the first bytes, so it runs again', () => {
    expect(changedDuringRun(before, { ...before, size: 240 }, undefined)).toBe(true);
    expect(changedDuringRun(before, { ...before, mtimeMs: 2_000 }, undefined)).toBe(true);
    // rewritten in place to the same size within the mtime's resolution: the hash still tells
    expect(changedDuringRun(before, { ...before, sha256: 'b'.repeat(64) }, undefined)).toBe(true);
  });

  test('the run refused the file as changing between its passes: it runs again, whatever the snapshots say', () => {
    expect(changedDuringRun(before, { ...before }, new RequestFileError('x.csv', 'changed_while_reading', 'the file changed while being read'))).toBe(true);
  });
});
