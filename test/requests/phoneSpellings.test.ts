import { describe, expect, test } from '@jest/globals';
import { phoneSpellingsOf } from '../../src/requests/normalizePhone.js';

describe('phoneSpellingsOf', () => {
  test('a French mobile (the range ARCEP reserves for fiction): international, national with spaces, dots and dashes, and digits only', () => {
    expect(phoneSpellingsOf('+33639980300')).toEqual(['+33 6 39 98 03 00', '06 39 98 03 00', '06.39.98.03.00', '06-39-98-03-00', '0639980300']);
  });

  test("a UK mobile keeps the library's own grouping", () => {
    expect(phoneSpellingsOf('+447700900123')).toEqual(['+44 7700 900123', '07700 900123', '07700.900123', '07700-900123', '07700900123']);
  });

  test("a US number: the national format's parentheses, and its groups joined", () => {
    expect(phoneSpellingsOf('+12015550123')).toEqual(['+1 201 555 0123', '(201) 555-0123', '201 555 0123', '201.555.0123', '201-555-0123', '2015550123']);
  });

  test('never E.164 itself (searched as such), and nothing for a text that is not a number', () => {
    expect(phoneSpellingsOf('+33639980300')).not.toContain('+33639980300');
    expect(phoneSpellingsOf('not a phone')).toEqual([]);
  });
});
