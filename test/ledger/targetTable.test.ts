import { describe, expect, test } from '@jest/globals';
import type { TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { RUN_ID, targetEvent, uuid } from './ledgerFixtures.js';

const event = (kind: TargetEvent['kind'], id: string, status: TargetEvent['status']): TargetEvent => ({
  type: 'target',
  runId: RUN_ID,
  kind,
  id,
  status,
  requestIds: ['R1'],
  attempts: 1,
});

function tableOf(...events: TargetEvent[]): TargetTable {
  const table = new TargetTable();
  for (const target of events) table.put(target);
  return table;
}

describe('TargetTable', () => {
  test('the latest event of a target wins; the same id under two kinds is two targets', () => {
    const table = tableOf(event('conversation', uuid(1), 'planned'), event('visitor', uuid(1), 'failed'), event('conversation', uuid(1), 'anonymized'));

    expect(table.size).toBe(2);
    expect(table.get('conversation', uuid(1))?.status).toBe('anonymized');
    expect(table.get('visitor', uuid(1))?.status).toBe('failed');
    expect(table.get('visitor', uuid(2))).toBeUndefined();
    expect([...table.values()].map((target) => target.kind)).toEqual(['conversation', 'visitor']);
  });

  test('a kind this version does not know is refused, not stored', () => {
    const table = new TargetTable();
    expect(table.put({ ...event('conversation', uuid(2), 'planned'), kind: 'operator' as TargetEvent['kind'] })).toBe(false);
    expect(table.put({ ...event('conversation', uuid(2), 'planned'), kind: 'toString' as TargetEvent['kind'] })).toBe(false);
    expect(table.size).toBe(0);
  });

  test('the events given back equal those put: several request ids, none, error names, other runs', () => {
    const events: TargetEvent[] = [
      targetEvent(uuid(1), { requestIds: ['REQ-1', 'REQ-2', 'REQ-1'] }),
      targetEvent(uuid(2), { requestIds: [] }),
      targetEvent(uuid(3), { status: 'failed', attempts: 6, error: { name: 'BAD_GATEWAY' } }),
      targetEvent(uuid(4), { kind: 'visitor', runId: 'another-run', status: 'already_anonymized', attempts: 4_294_967_295 }),
      targetEvent('ffffffff-ffff-ffff-ffff-ffffffffffff', { status: 'anonymized', requestIds: ['é"\\'] }),
    ];
    const table = tableOf(...events);

    expect([...table.values()]).toEqual([events[0], events[1], events[2], events[4], events[3]]);
    for (const target of events) expect(table.get(target.kind, target.id)).toStrictEqual(target);
  });

  test('what a later event no longer has is gone: its error name, its other request ids', () => {
    const table = tableOf(
      targetEvent(uuid(1), { status: 'failed', error: { name: 'TIMEOUT' }, requestIds: ['A', 'B'] }),
      targetEvent(uuid(1), { status: 'anonymized', requestIds: ['A'] }),
    );

    expect(table.get('conversation', uuid(1))).toStrictEqual(targetEvent(uuid(1), { status: 'anonymized', requestIds: ['A'] }));
    expect(table.targetsByRequest()('B')).toEqual([]);
  });

  test('ids that are not lower-case UUIDs, and fields this version does not know, are kept whole', () => {
    const upper = targetEvent('00000000-0000-4000-8000-00000000000A');
    const lower = targetEvent('00000000-0000-4000-8000-00000000000a', { status: 'failed' });
    const short = targetEvent('42', { kind: 'visitor' });
    const later = { ...targetEvent(uuid(5)), priority: 3 } as TargetEvent;
    const unknownStatus = targetEvent(uuid(6), { status: 'queued' as TargetEvent['status'] });
    const oddAttempts = targetEvent(uuid(7), { attempts: 1.5 });
    const richError = targetEvent(uuid(8), { status: 'failed', error: { name: 'X', detail: 1 } as TargetEvent['error'] });
    const table = tableOf(upper, lower, short, later, unknownStatus, oddAttempts, richError);

    expect(table.size).toBe(7);
    for (const target of [upper, lower, short, later, unknownStatus, oddAttempts, richError]) expect(table.get(target.kind, target.id)).toStrictEqual(target);
    expect(table.get('conversation', '42')).toBeUndefined();
    expect(table.statusCounts()).toEqual({ planned: 4, failed: 2, queued: 1 });
  });

  test('a target kept whole goes back to the columns when a plain event follows', () => {
    const table = tableOf({ ...targetEvent(uuid(1)), extra: true } as TargetEvent, targetEvent(uuid(1), { status: 'anonymized' }));

    expect(table.get('conversation', uuid(1))).toStrictEqual(targetEvent(uuid(1), { status: 'anonymized' }));
  });

  test('grows past its initial capacity and keeps every target', () => {
    const table = new TargetTable();
    for (let n = 0; n < 5000; n += 1) table.put(targetEvent(uuid(n), { kind: n % 3 === 0 ? 'visitor' : 'conversation', requestIds: [`REQ-${n % 7}`] }));
    for (let n = 0; n < 5000; n += 2)
      table.put(targetEvent(uuid(n), { kind: n % 3 === 0 ? 'visitor' : 'conversation', status: 'anonymized', attempts: n, requestIds: [`REQ-${n % 7}`] }));

    expect(table.size).toBe(5000);
    for (let n = 0; n < 5000; n += 1) {
      expect(table.get(n % 3 === 0 ? 'visitor' : 'conversation', uuid(n))).toMatchObject({
        status: n % 2 === 0 ? 'anonymized' : 'planned',
        attempts: n % 2 === 0 ? n : 0,
        requestIds: [`REQ-${n % 7}`],
      });
    }
    expect(table.statusCounts()).toEqual({ planned: 2500, anonymized: 2500 });
  });

  test('status counts follow values(), keys in the order first met', () => {
    const table = tableOf(targetEvent(uuid(1), { kind: 'visitor', status: 'failed' }), targetEvent(uuid(2), { status: 'anonymized' }), targetEvent(uuid(3)));
    const counted: Record<string, number> = {};
    for (const target of table.values()) counted[target.status] = (counted[target.status] ?? 0) + 1;

    expect(Object.entries(table.statusCounts())).toEqual(Object.entries(counted));
  });

  test('targetsByRequest names the targets credited to each request, whole or in columns', () => {
    const table = tableOf(
      targetEvent(uuid(1), { kind: 'visitor', requestIds: ['A'] }),
      targetEvent(uuid(2), { requestIds: ['A', 'B'] }),
      targetEvent('not-a-uuid', { requestIds: ['B', 'C'] }),
      targetEvent(uuid(3), { requestIds: ['C'] }),
      targetEvent(uuid(3), { requestIds: ['D'] }),
    );
    const targetsOf = table.targetsByRequest();

    expect(targetsOf('A')).toEqual([
      { kind: 'conversation', id: uuid(2) },
      { kind: 'visitor', id: uuid(1) },
    ]);
    expect(targetsOf('B')).toEqual([
      { kind: 'conversation', id: uuid(2) },
      { kind: 'conversation', id: 'not-a-uuid' },
    ]);
    expect(targetsOf('C')).toEqual([{ kind: 'conversation', id: 'not-a-uuid' }]);
    expect(targetsOf('D')).toEqual([{ kind: 'conversation', id: uuid(3) }]);
    expect(targetsOf('E')).toEqual([]);
  });
});
