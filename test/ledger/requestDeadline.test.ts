import { describe, expect, test } from '@jest/globals';
import { deadlineFlag, deadlineOf } from '../../src/ledger/requestDeadline.js';

describe('deadlineOf', () => {
  test.each([
    ['2026-03-15T10:00:00.000Z', '2026-04-15T10:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
    ['2028-01-31T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['2026-12-20T00:00:00.000Z', '2027-01-20T00:00:00.000Z'],
    ['2026-05-31T00:00:00.000Z', '2026-06-30T00:00:00.000Z'],
  ])('a request received %s is due %s', (received, due) => {
    expect(deadlineOf(received).toISOString()).toBe(due);
  });
});

describe('deadlineFlag', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');

  test('an open request past its deadline is overdue; within 7 days, due soon; else nothing', () => {
    expect(deadlineFlag('needs_review', '2026-10-20T00:00:00Z', now)).toBe('overdue');
    expect(deadlineFlag('failed', '2026-10-28T00:00:00Z', now)).toBe('due_soon');
    expect(deadlineFlag('rejected', '2026-11-20T00:00:00Z', now)).toBe('');
  });

  test('a settled request, or one without a receipt date, is not flagged', () => {
    expect(deadlineFlag('completed', '2026-01-01T00:00:00Z', now)).toBe('');
    expect(deadlineFlag('no_match', '2026-01-01T00:00:00Z', now)).toBe('');
    expect(deadlineFlag('needs_review', undefined, now)).toBe('');
  });
});
