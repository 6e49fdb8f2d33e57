import { describe, expect, test } from '@jest/globals';
import { phoneSpellingsOf } from '../../src/requests/normalizePhone.js';

describe('phoneSpellingsOf', () => {
  test('a French mobile: international, national with spaces, dots and dashes, and digits only', () => {
    expect(phoneSpellingsOf('+33781223344')).toEqual(['+33 7 81 22 33 44', '07 81 22 33 44', '07.81.22.33.44', '07-81-22-33-44', '0781223344']);
  });

  test("a UK mobile keeps the library's own grouping", () => {
    expect(phoneSpellingsOf('+447700900123')).toEqual(['+44 7700 900123', '07700 900123', '07700.900123', '07700-900123', '07700900123']);
  });

  test("a US number: the national format's parentheses, and its groups joined", () => {
    expect(phoneSpellingsOf('+12015550123')).toEqual(['+1 201 555 0123', '(201) 555-0123', '201 555 0123', '201.555.0123', '201-555-0123', '2015550123']);
  });

  test('never E.164 itself (searched as such), and nothing for a text that is not a number', () => {
    expect(phoneSpellingsOf('+33781223344')).not.toContain('+33781223344');
    expect(phoneSpellingsOf('not a phone')).toEqual([]);
  });
});
