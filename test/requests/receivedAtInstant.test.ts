import { describe, expect, test } from '@jest/globals';
import { receivedAtInstant } from '../../src/requests/receivedAtInstant.js';

describe('receivedAtInstant', () => {
  test.each([
    ['2026-11-15', '2026-11-15T00:00:00.000Z'],
    ['2026-11-15T14:30:00+01:00', '2026-11-15T13:30:00.000Z'],
    ['15/11/2026', '2026-11-15T00:00:00.000Z'],
    ['15.11.2026', '2026-11-15T00:00:00.000Z'],
    ['15-11-2026', '2026-11-15T00:00:00.000Z'],
    ['15/11/2026 14:30', '2026-11-15T14:30:00.000Z'],
    ['15.11.2026 14:30', '2026-11-15T14:30:00.000Z'],
    ['15-11-2026 14:30:05', '2026-11-15T14:30:05.000Z'],
    ['5/3/2026 9:05', '2026-03-05T09:05:00.000Z'],
    ['2026/11/15', '2026-11-15T00:00:00.000Z'],
    ['2026.11.15 14:30', '2026-11-15T14:30:00.000Z'],
    ['2026-5-3', '2026-05-03T00:00:00.000Z'],
    ['29/02/2028', '2028-02-29T00:00:00.000Z'],
  ])('%s is %s (day first, the default)', (text, instant) => expect(receivedAtInstant(text)).toBe(instant));

  test('03/04/2026 is 3 April with dmy, March 4 with mdy, and not read with ymd; year-first and ISO dates mean the same under every order', () => {
    expect(receivedAtInstant('03/04/2026', 'dmy')).toBe('2026-04-03T00:00:00.000Z');
    expect(receivedAtInstant('03/04/2026', 'mdy')).toBe('2026-03-04T00:00:00.000Z');
    expect(receivedAtInstant('03/04/2026', 'ymd')).toBeUndefined();
    expect(receivedAtInstant('03/04/2026')).toBe('2026-04-03T00:00:00.000Z');
    for (const order of ['dmy', 'mdy', 'ymd'] as const) {
      expect(receivedAtInstant('2026/04/03', order)).toBe('2026-04-03T00:00:00.000Z');
      expect(receivedAtInstant('2026-04-03', order)).toBe('2026-04-03T00:00:00.000Z');
    }
  });

  test('mdy reads 11/15/2026 and refuses 15/11/2026, which has no 15th month', () => {
    expect(receivedAtInstant('11/15/2026 14:30', 'mdy')).toBe('2026-11-15T14:30:00.000Z');
    expect(receivedAtInstant('15/11/2026', 'mdy')).toBeUndefined();
  });

  test.each([
    '31/02/2026',
    '29/02/2026',
    '31/04/2026',
    '00/01/2026',
    '15/13/2026',
    '15/11/2026 25:00',
    '15/11/2026 14:60',
    '15/11/2026 14:30:61',
    '15/11/26',
    '15/11-2026',
    '15 novembre 2026',
    'yesterday',
    '15112026',
    '2026/13/01',
  ])('%s is not a date', (text) => expect(receivedAtInstant(text)).toBeUndefined());

  test('the same text under another order is computed again, not taken from the cache', () => {
    expect(receivedAtInstant('01/02/2026', 'dmy')).toBe('2026-02-01T00:00:00.000Z');
    expect(receivedAtInstant('01/02/2026', 'mdy')).toBe('2026-01-02T00:00:00.000Z');
    expect(receivedAtInstant('01/02/2026', 'dmy')).toBe('2026-02-01T00:00:00.000Z');
  });
});
