import { describe, expect, test } from '@jest/globals';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import { summarize } from '../../src/ledger/summarizeLedger.js';
import { requestEvent, targetEvent, uuid } from './ledgerFixtures.js';

describe('summarize', () => {
  test('counts the latest status of each request and target', () => {
    const state = emptyLedgerState();
    for (const request of [
      requestEvent('A', { status: 'completed' }),
      requestEvent('B', { status: 'completed' }),
      requestEvent('C', { status: 'needs_review' }),
      requestEvent('D', { status: 'rejected' }),
    ]) {
      state.requests.set(request.requestId, request);
    }
    for (const target of [
      targetEvent(uuid(1), { status: 'anonymized' }),
      targetEvent(uuid(2), { status: 'anonymized' }),
      targetEvent(uuid(3), { status: 'already_anonymized' }),
      targetEvent(uuid(4), { kind: 'visitor', status: 'failed' }),
    ]) {
      state.targets.put(target);
    }

    expect(summarize(state)).toEqual({
      requests: { completed: 2, needs_review: 1, rejected: 1 },
      targets: { anonymized: 2, already_anonymized: 1, failed: 1 },
    });
  });

  test('an empty ledger has no counts', () => {
    expect(summarize(emptyLedgerState())).toEqual({ requests: {}, targets: {} });
  });
});
