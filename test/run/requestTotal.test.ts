import { describe, expect, test } from '@jest/globals';
import { RequestTotal } from '../../src/run/requestTotal.js';
import type { WorkSource } from '../../src/run/runErasure.js';

const files = (...names: string[]): WorkSource => ({ kind: 'files', files: names });

describe('RequestTotal', () => {
  test('request files: unknown until the first pass of every file has counted its requests, then their sum', () => {
    const total = new RequestTotal(files('a.csv', 'b.csv'), false);

    const before = total.value;
    total.fileCounted(120);
    const afterOne = total.value;
    total.fileCounted(0);

    expect([before, afterOne, total.value]).toEqual([undefined, undefined, 120]);
  });

  test("a plan's requests and the ledger's held ones are known at once", () => {
    const planned = { kind: 'plan', path: 'plan.json', sha256: '', plan: { requests: [{}, {}, {}] } } as unknown as WorkSource;
    const held = { kind: 'held', inputs: [], requests: [{}, {}] } as unknown as WorkSource;

    expect([new RequestTotal(planned, false).value, new RequestTotal(held, false).value]).toEqual([3, 2]);
  });

  test('under --shard, never known: which requests are this shard’s is learnt only as they are read', () => {
    const total = new RequestTotal(files('a.csv'), true);

    total.fileCounted(50);

    expect(total.value).toBeUndefined();
  });
});
