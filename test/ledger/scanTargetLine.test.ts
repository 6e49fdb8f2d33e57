import { describe, expect, test } from '@jest/globals';
import type { TargetEvent } from '../../src/ledger/ledgerEvents.js';
import { TargetTable } from '../../src/ledger/targetTable.js';
import { targetEvent, uuid } from './ledgerFixtures.js';
import { seededRandom } from '../helpers/seededRandom.js';

const WRITTEN: TargetEvent[] = [
  targetEvent(uuid(1)),
  targetEvent(uuid(2), { kind: 'visitor', status: 'anonymized', attempts: 1, requestIds: ['REQ-1', 'REQ-2'] }),
  targetEvent(uuid(3), { status: 'failed', attempts: 123456789, error: { name: 'BAD_GATEWAY' } }),
  targetEvent(uuid(4), { status: 'already_anonymized', requestIds: [] }),
];

/** Puts the line through the byte scanner alone; the event it stored, or undefined if it left the line to JSON.parse. */
function scanned(line: string): TargetEvent | undefined {
  const table = new TargetTable();
  const bytes = Buffer.from(`#${line}\n`);
  if (!table.putLine(bytes, 1, bytes.length - 1)) return undefined;
  expect(table.size).toBe(1);
  return [...table.values()][0];
}

describe('the target line scanner', () => {
  test('takes the lines the ledger writer writes, and gives what JSON.parse gives', () => {
    for (const event of WRITTEN) {
      const line = JSON.stringify(event);
      expect(scanned(line)).toStrictEqual(event);
      expect(scanned(`${line}\r`)).toStrictEqual(event);
    }
  });

  test('leaves to JSON.parse what it cannot read exactly', () => {
    const line = JSON.stringify(WRITTEN[0]);
    for (const other of [
      line.replace('"status"', ' "status"'),
      line.replace('"kind":"conversation","id"', '"id"').replace('}', ',"kind":"conversation"}'),
      line.replace(uuid(1), uuid(0xabc).toUpperCase()),
      line.replace('REQ-1', 'REQ\\u002d1'),
      line.replace('REQ-1', 'RÉQ-1'),
      line.replace('"attempts":0', '"attempts":0.0'),
      line.replace('"attempts":0', '"attempts":1e3'),
      line.replace('"attempts":0', '"attempts":00'),
      line.replace('"attempts":0', '"attempts":1234567890'),
      line.replace('"attempts":0', '"attempts":-0'),
      line.replace('}', ',"priority":1}'),
      line.replace('}', ',"error":{"name":"X","detail":1}}'),
      `${line} `,
      `${line}\r\r`,
      line.slice(0, -1),
    ]) {
      expect(scanned(other)).toBeUndefined();
    }
  });

  test('any line it takes, mangled at random, parses to the very event it stored', () => {
    const random = seededRandom(17);
    const pieces = ['"', '\\', ' ', ',', '}', ']', '[', ':', '0', '1', '9', 'a', 'A', 'f', 'g', '-', 'é', '\t', '\r', 'e', '.', '{'];
    let taken = 0;
    for (const event of WRITTEN) {
      const line = JSON.stringify(event);
      for (let round = 0; round < 3000; round += 1) {
        let mangled = line;
        for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits -= 1) {
          const at = Math.floor(random() * (mangled.length + 1));
          const piece = pieces[Math.floor(random() * pieces.length)]!;
          const kind = random();
          if (kind < 0.4) mangled = mangled.slice(0, at) + piece + mangled.slice(at + 1);
          else if (kind < 0.7) mangled = mangled.slice(0, at) + piece + mangled.slice(at);
          else mangled = mangled.slice(0, at) + mangled.slice(at + 1);
        }
        const result = scanned(mangled);
        if (result === undefined) continue;
        taken += 1;
        expect({ line: mangled, event: result }).toStrictEqual({ line: mangled, event: JSON.parse(mangled) as TargetEvent });
      }
    }
    // the mangling does reach lines the scanner takes (a changed id, status or count)
    expect(taken).toBeGreaterThan(100);
  });
});
