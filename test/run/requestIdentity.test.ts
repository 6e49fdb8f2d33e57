import { describe, expect, test } from '@jest/globals';
import type { RunEvent } from '../../src/ledger/ledgerEvents.js';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import { RequestIdentities, type RequestContent } from '../../src/run/requestIdentity.js';
import { requestEvent, RUN_ID } from '../ledger/ledgerFixtures.js';

const KEY_ID = 'k1';
const run = (changes: Partial<RunEvent> = {}): RunEvent => ({
  type: 'run',
  runId: RUN_ID,
  startedAt: '2026-11-01T00:00:00Z',
  version: 'test',
  inputs: [{ file: 'requests.csv', sha256: 'a'.repeat(64) }],
  options: { projectIds: [1] },
  digestKeyId: KEY_ID,
  ...changes,
});

function identities(events: Parameters<typeof requestEvent>[], runs: RunEvent[] = [run()], projectIds = [1]): RequestIdentities {
  const state = emptyLedgerState();
  state.runs.push(...runs);
  for (const args of events) state.requests.set(args[0], requestEvent(...args));
  return new RequestIdentities(state, KEY_ID, projectIds);
}

const content = (changes: Partial<RequestContent> = {}): RequestContent => ({
  requestId: 'R1',
  digest: 'd1',
  source: { file: 'requests.csv', line: 2 },
  sourceSha256: 'a'.repeat(64),
  discriminator: '0badc0de',
  ...changes,
});

describe('RequestIdentities', () => {
  test('a new id is processed as it is', () => {
    expect(identities([]).decide(content())).toEqual({ action: 'process', requestId: 'R1' });
  });

  test('the same id and content, settled: skipped; not settled: resumed under the same id', () => {
    expect(identities([['R1', { status: 'completed', contentDigest: 'd1' }]]).decide(content())).toEqual({
      action: 'skip',
      requestId: 'R1',
      status: 'completed',
    });
    expect(identities([['R1', { status: 'failed', contentDigest: 'd1' }]]).decide(content())).toEqual({ action: 'process', requestId: 'R1' });
  });

  test('the same id with other content is processed under a distinct id, whatever the earlier status but rejected', () => {
    for (const status of ['completed', 'no_match', 'failed', 'needs_review'] as const) {
      expect(identities([['R1', { status, contentDigest: 'd0' }]]).decide(content())).toMatchObject({ action: 'process', requestId: 'R1~0badc0de' });
    }
    expect(identities([['R1', { status: 'rejected' }]]).decide(content())).toEqual({ action: 'process', requestId: 'R1' });
  });

  test('digests made under another key, or none (an older ledger), cannot be compared: the id decides, as before', () => {
    const otherKey = identities([['R1', { status: 'completed', contentDigest: 'zz' }]], [run({ digestKeyId: 'k0' })]);
    expect(otherKey.decide(content())).toMatchObject({ action: 'skip' });
    expect(identities([['R1', { status: 'completed' }]]).decide(content())).toMatchObject({ action: 'skip' });
  });

  test('a rejected row is the same request when its file and line are unchanged', () => {
    const settled = identities([['R1', { status: 'completed', contentDigest: 'd1' }]]);
    expect(settled.decide(content({ digest: undefined }))).toMatchObject({ action: 'skip' });
    const changedFile = identities([['R1', { status: 'completed', contentDigest: 'd1' }]]);
    expect(changedFile.decide(content({ digest: undefined, sourceSha256: 'b'.repeat(64) }))).toMatchObject({ action: 'process', requestId: 'R1~0badc0de' });
  });

  test('an id used twice in one run: the second is renamed, and a third with the same content again gets a suffix', () => {
    const run = identities([]);
    expect(run.decide(content())).toEqual({ action: 'process', requestId: 'R1' });
    expect(run.decide(content())).toMatchObject({ action: 'process', requestId: 'R1~0badc0de', note: expect.stringContaining('another input of this run') });
    expect(run.decide(content())).toMatchObject({ action: 'process', requestId: 'R1~0badc0de-2' });
  });

  test('settled before projects were added: searched again', () => {
    const grown = identities([['R1', { status: 'completed', contentDigest: 'd1' }]], [run()], [1, 2]);
    expect(grown.decide(content())).toMatchObject({ action: 'process', requestId: 'R1', note: expect.stringContaining('projects were added') });
  });
});
