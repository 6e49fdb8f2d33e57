import { describe, expect, test } from '@jest/globals';
import { join, resolve } from 'node:path';
import { inputOfSource } from '../../src/verify/inputOfSource.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('inputOfSource', () => {
  test('a run records its inputs as its requests name them: the same path', () => {
    const inputs = [
      { file: 'in/a.csv', sha256: SHA_A },
      { file: 'b.csv', sha256: SHA_B },
    ];

    expect(inputOfSource(inputs, 'b.csv')).toEqual({ input: inputs[1] });
  });

  test("apply records the plan's absolute inputs; the requests name them relative to where plan ran, even above it", () => {
    const inputs = [
      { file: resolve('/data/in/a.csv'), sha256: SHA_A },
      { file: resolve('/data/other/b.csv'), sha256: SHA_B },
    ];

    expect(inputOfSource(inputs, 'a.csv')).toEqual({ input: inputs[0] });
    expect(inputOfSource(inputs, join('.', 'in', '..', 'in', 'a.csv'))).toEqual({ input: inputs[0] });
    expect(inputOfSource(inputs, join('..', 'other', 'b.csv'))).toEqual({ input: inputs[1] });
    expect(inputOfSource(inputs, resolve('/data/other/./b.csv'))).toEqual({ input: inputs[1] });
  });

  test('a name no input ends with is none; a name two inputs of other bytes end with is ambiguous', () => {
    const inputs = [
      { file: resolve('/data/x/in.csv'), sha256: SHA_A },
      { file: resolve('/data/y/in.csv'), sha256: SHA_B },
      { file: resolve('/data/y/copy/in.csv'), sha256: SHA_B },
    ];

    expect(inputOfSource(inputs, 'n.csv')).toEqual({ problem: 'none' });
    expect(inputOfSource(inputs, resolve('/elsewhere/in.csv'))).toEqual({ problem: 'none' });
    expect(inputOfSource(inputs, 'in.csv')).toEqual({ problem: 'ambiguous' });
    expect(inputOfSource(inputs, join('x', 'in.csv'))).toEqual({ input: inputs[0] });
  });
});
