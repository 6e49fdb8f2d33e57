import { describe, expect, test } from '@jest/globals';
import { emptyLedgerState } from '../../src/ledger/ledgerState.js';
import type { RequestEvent, TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { settledByTargets } from '../../src/run/settledByTargets.js';
import { requestEvent, targetEvent, uuid } from '../ledger/ledgerFixtures.js';

function state(requests: RequestEvent[], targets: TargetEvent[]) {
  const ledger = emptyLedgerState();
  for (const request of requests) ledger.requests.set(request.requestId, request);
  for (const target of targets) ledger.targets.put(target);
  return ledger;
}

describe('settledByTargets', () => {
  test('a failed request whose every target is now done is completed; one with a target still failed is not', () => {
    const ledger = state(
      [requestEvent('A', { status: 'failed', conversations: 1, visitors: 1 }), requestEvent('B', { status: 'failed', conversations: 1, visitors: 0 })],
      [
        targetEvent(uuid(1), { status: 'anonymized', requestIds: ['A', 'B'] }),
        targetEvent(uuid(2), { kind: 'visitor', status: 'already_anonymized', requestIds: ['A'] }),
        targetEvent(uuid(3), { status: 'failed', requestIds: ['B'] }),
      ],
    );

    const settled = settledByTargets(ledger, 'run-2');

    expect(settled).toEqual([expect.objectContaining({ requestId: 'A', runId: 'run-2', status: 'completed', conversations: 1, visitors: 1 })]);
  });

  test('a request whose resolution failed, or that holds a part for review, stays as it is', () => {
    const ledger = state(
      [
        requestEvent('R', { status: 'failed', conversations: 0, visitors: 0, reason: 'resolution failed: TIMEOUT' }),
        requestEvent('H', { status: 'failed', conversations: 1, visitors: 0, held: { conversations: 1, visitors: 0, reasons: { conflicting_profile: 1 } } }),
      ],
      [targetEvent(uuid(1), { status: 'anonymized', requestIds: ['R', 'H'] })],
    );

    expect(settledByTargets(ledger, 'run-2')).toEqual([]);
  });
});
