import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/ledger/ledgerEvents.js';
import { locateInputs } from '../../src/verify/locateInputs.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-locate-'));
  await mkdir(join(dir, 'processing'));
  await mkdir(join(dir, 'done'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function runOf(...inputs: { file: string; sha256: string }[]): RunEvent {
  return { type: 'run', runId: 'r1', startedAt: '2026-01-01T00:00:00.000Z', version: '0.1.0', inputs, options: {} };
}

describe('locateInputs without files given', () => {
  test('an input gone from its recorded path is found beside the ledger under its name, if it holds the bytes the run read', async () => {
    const read = 'request_id,email\nA,a@example.org\n';
    const moved = join(dir, 'processing', 'moved.csv');
    const changed = join(dir, 'processing', 'changed.csv');
    await writeFile(join(dir, 'done', 'moved.csv'), read, 'utf8');
    await writeFile(join(dir, 'done', 'changed.csv'), `${read}B,b@example.org\n`, 'utf8');
    const run = runOf({ file: moved, sha256: sha256(read) }, { file: changed, sha256: sha256(`${read}C,c@example.org\n`) });

    const located = await locateInputs([run], [], join(dir, 'done', 'moved.csv.ledger.jsonl'));

    expect([...located.bySha256]).toEqual([[sha256(read), join(dir, 'done', 'moved.csv')]]);
    expect([...located.problems]).toEqual([[changed, 'input file cannot be read (ENOENT); pass it on the command line if it moved']]);
  });

  test('the recorded path wins over a copy beside the ledger', async () => {
    const read = 'request_id,email\nA,a@example.org\n';
    const recorded = join(dir, 'processing', 'in.csv');
    await writeFile(recorded, read, 'utf8');
    await writeFile(join(dir, 'done', 'in.csv'), read, 'utf8');

    const located = await locateInputs([runOf({ file: recorded, sha256: sha256(read) })], [], join(dir, 'done', 'ledger.jsonl'));

    expect([...located.bySha256]).toEqual([[sha256(read), recorded]]);
  });
});
