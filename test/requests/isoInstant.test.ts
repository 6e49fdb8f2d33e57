import { describe, expect, test } from '@jest/globals';
import { isoInstant } from '../../src/requests/isoInstant.js';
import { seededRandom } from '../helpers/seededRandom.js';

/** The former implementation, the oracle: Date's own ISO parser, given the text rebuilt in its strict form. */
function byDateParser(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const zone = offset.toUpperCase() === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const instant = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${zone}`);
  if (Number.isNaN(instant.getTime())) return undefined;
  // (the former code used Date.UTC here, which reads years 0 to 99 as 1900 to 1999: 0004-02-29 was refused)
  const calendar = new Date(0);
  calendar.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return undefined;
  return instant.toISOString();
}

describe('isoInstant', () => {
  test.each([
    ['2024-05-31', '2024-05-31T00:00:00.000Z'],
    ['2024-05-31T14:00:00Z', '2024-05-31T14:00:00.000Z'],
    ['2024-05-31 14:00', '2024-05-31T14:00:00.000Z'],
    ['2024-05-31t14:00:00.123456789+02:00', '2024-05-31T12:00:00.123Z'],
    ['2024-05-31T23:30-0130', '2024-06-01T01:00:00.000Z'],
    ['2024-12-31T24:00:00Z', '2025-01-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0050-01-01', '0050-01-01T00:00:00.000Z'],
    ['0004-02-29', '0004-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, instant) => expect(isoInstant(text)).toBe(instant));

  test.each([
    '2023-02-29',
    '2024-02-30',
    '2024-13-01',
    '2024-00-10',
    '2024-05-00',
    '2024-05-31T24:00:01Z',
    '2024-05-31T12:60',
    '2024-05-31T12:00:60',
    '2024-05-31T12:00+24:00',
    '2024-05-31T12:00+01:60',
    '31/05/2024',
    'yesterday',
    '2024-5-31',
  ])('%s is not a date', (text) => expect(isoInstant(text)).toBeUndefined());

  test("gives what Date's own parser gives, on 20 000 texts near the edges of every field", () => {
    const random = seededRandom(42);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
    const digits = (length: number) => Array.from({ length }, () => Math.floor(random() * 10)).join('');
    const edge = () => pick(['00', '01', '09', '12', '13', '23', '24', '28', '29', '30', '31', '32', '59', '60', '99', digits(2)]);
    // mostly in range, so that both answers are common; otherwise a value near an edge
    const field = (low: number, high: number) => (random() < 0.85 ? String(low + Math.floor(random() * (high - low + 1))).padStart(2, '0') : edge());
    let dates = 0;
    for (let round = 0; round < 20_000; round += 1) {
      let text = `${pick(['0000', '0001', '0099', '1970', '1999', '2000', '2024', '2100', '9999', digits(4)])}-${field(1, 12)}-${field(1, 31)}`;
      if (random() < 0.8) {
        text += `${pick(['T', 't', ' '])}${field(0, 23)}:${field(0, 59)}`;
        if (random() < 0.7) text += `:${field(0, 59)}${random() < 0.5 ? `.${digits(1 + Math.floor(random() * 9))}` : ''}`;
        if (random() < 0.7) text += pick(['Z', 'z', `+${field(0, 14)}:${field(0, 59)}`, `-${field(0, 14)}${field(0, 59)}`]);
      }
      const expected = byDateParser(text);
      if (expected !== undefined) dates += 1;
      expect({ text, instant: isoInstant(text) }).toEqual({ text, instant: expected });
    }
    // the texts do reach both answers
    expect(dates).toBeGreaterThan(2_000);
    expect(dates).toBeLessThan(18_000);
  });
});
