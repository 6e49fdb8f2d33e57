import { describe, expect, test } from '@jest/globals';
import type { TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { RUN_ID, uuid } from './ledgerFixtures.js';

const event = (kind: TargetEvent['kind'], id: string, status: TargetEvent['status']): TargetEvent => ({ type: 'target', runId: RUN_ID, kind, id, status, requestIds: ['R1'], attempts: 1 });

describe('TargetTable', () => {
  test('the latest event of a target wins; the same id under two kinds is two targets', () => {
    const table = new TargetTable();
    table.put(event('conversation', uuid(1), 'planned'));
    table.put(event('visitor', uuid(1), 'failed'));
    table.put(event('conversation', uuid(1), 'anonymized'));

    expect(table.size).toBe(2);
    expect(table.get('conversation', uuid(1))?.status).toBe('anonymized');
    expect(table.get('visitor', uuid(1))?.status).toBe('failed');
    expect([...table.values()].map((target) => target.kind)).toEqual(['conversation', 'visitor']);
  });

  test('a kind this version does not know is refused, not stored', () => {
    const table = new TargetTable();
    expect(table.put({ ...event('conversation', uuid(2), 'planned'), kind: 'operator' as TargetEvent['kind'] })).toBe(false);
    expect(table.size).toBe(0);
  });
});
