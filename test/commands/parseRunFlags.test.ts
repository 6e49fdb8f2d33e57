import { describe, expect, test } from '@jest/globals';
import { UsageError } from '../../src/cliErrors.js';
import { parseDate, parseInterval } from '../../src/commands/parseRunFlags.js';

describe('--since and --until', () => {
  test('a day is its midnight UTC; a time with an offset is that instant', () => {
    expect(parseDate('--since', '2024-01-31').toISOString()).toBe('2024-01-31T00:00:00.000Z');
    expect(parseDate('--since', ' 2024-01-31T14:00+02:00 ').toISOString()).toBe('2024-01-31T12:00:00.000Z');
    expect(parseDate('--until', '2024-01-31T23:59:59Z').toISOString()).toBe('2024-01-31T23:59:59.000Z');
  });

  // test/e2e/watchFlags.test.ts runs the CLI in another zone: the process's own cannot be changed here
  test('a time without offset is UTC, as a received_at is, with a T or a space', () => {
    expect(parseDate('--since', '2024-01-31T12:00').toISOString()).toBe('2024-01-31T12:00:00.000Z');
    expect(parseInterval({ since: '2024-01-01T00:00', until: '2024-01-31 12:00' }, Date.now())).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-01-31T12:00:00.000Z',
    });
  });

  test.each(['31/01/2024', '2024-02-30', 'yesterday', ''])('"%s" is refused with the formats --help gives', (text) => {
    expect(() => parseDate('--since', text)).toThrow(UsageError);
    expect(() => parseDate('--since', text)).toThrow(
      '--since must be a day, 2024-01-31 (midnight UTC), or an ISO 8601 time, 2024-01-31T12:00:00Z or 2024-01-31T14:00+02:00 (without offset, UTC)',
    );
  });
});
