import { describe, expect, test } from '@jest/globals';
import { inShard, parseShard } from '../../src/run/shard.js';

describe('parseShard', () => {
  test.each([
    ['0/1', { index: 0, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    [' 2 / 8 ', { index: 2, count: 8 }],
  ])('%j is a shard', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  test.each(['4/4', '1/0', '-1/4', '1', '1/4/2', 'a/b', '0/1001', ''])('%j is not', (text) => {
    expect(parseShard(text)).toBeUndefined();
  });
});

describe('inShard', () => {
  test('every request id falls in exactly one shard, and the shards are close to even', () => {
    const count = 4;
    const sizes = [0, 0, 0, 0];
    for (let n = 0; n < 4000; n += 1) {
      const homes = [0, 1, 2, 3].filter((index) => inShard(`REQ-${n}`, { index, count }));
      expect(homes).toHaveLength(1);
      sizes[homes[0]!]! += 1;
    }
    for (const size of sizes) expect(Math.abs(size - 1000)).toBeLessThan(120);
  });

  test('the shard of an id does not depend on anything but the id and the count', () => {
    expect(inShard('REQ-17', { index: 1, count: 3 })).toBe(inShard('REQ-17', { index: 1, count: 3 }));
    expect([0, 1, 2].filter((index) => inShard('REQ-17', { index, count: 3 }))).toHaveLength(1);
  });
});
