import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

const HEADER = 'request_id,email,phone,search,conversation_id,visitor_id,received_at';

/** Writes a CSV whose second line is `row` under HEADER, and reads it. */
async function readRow(name: string, row: string, options: Parameters<typeof readAll>[1] = {}) {
  const file = await writeRequestFile(directory.path(`${name}.csv`), `${HEADER}\n${row}\n`);
  return { file, outcomes: await readAll(file, options) };
}

describe('each rejection reason, on the line of the bad row, without the value', () => {
  const cases: [name: string, row: string, reason: string][] = [
    ['malformed e-mail', 'X,jean.dupont@,,,,,', 'email is not a valid e-mail address'],
    ['e-mail with a space', 'X,jean dupont@example.com,,,,,', 'email is not a valid e-mail address'],
    ['e-mail without a dot in its domain', 'X,jean@localhost,,,,,', 'email is not a valid e-mail address'],
    [
      'national phone without a default country',
      'X,,06 39 98 01 01,,,,',
      'phone cannot be read as an international number; give it with +country code or set --default-country',
    ],
    [
      'international phone with too few digits',
      'X,,+33 6 39 98,,,,',
      'phone is not a valid international number (check the country code and the number of digits)',
    ],
    [
      'phone that is not a number at all',
      'X,,call me,,,,',
      'phone cannot be read as an international number; give it with +country code or set --default-country',
    ],
    ['conversation_id not a UUID', 'X,,,,12345,,', 'conversation_id is not a UUID'],
    [
      'visitor_id copied from the iAdvize admin',
      'X,,,,,8273645,',
      'visitor_id is not a UUID: the visitor ID shown in the iAdvize admin is not the GraphQL UUID; take the UUID from the API (the visitor of the conversation in closedConversations)',
    ],
    ['no identifier at all', 'X,,,,,,', 'the row has no e-mail, phone, search, conversation_id or visitor_id'],
    ['search shorter than 3 characters after trimming', 'X,,,  Jo  ,,,', 'search is too short to search safely (3 characters at least)'],
  ];

  test.each(cases)('%s', async (name, row, reason) => {
    const { file, outcomes } = await readRow(name.replace(/\W+/g, '-'), row);

    expect(outcomes).toEqual([rejected('X', file, 2, [{ line: 2, reason }])]);
    const values = row
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value.length > 1 && value !== 'X');
    for (const value of values) expect(JSON.stringify(outcomes)).not.toContain(value);
  });
});

describe('phones', () => {
  test('"+33 6 39 98 01 01" becomes +33639980101', async () => {
    const { file, outcomes } = await readRow('phone-international', 'P1,,+33 6 39 98 01 01,,,,');

    expect(outcomes).toEqual([request('P1', file, 2, { phones: ['+33639980101'] })]);
  });

  test('"06 39 98 01 01" is rejected without a default country', async () => {
    const { file, outcomes } = await readRow('phone-national-rejected', 'P2,,06 39 98 01 01,,,,');

    expect(outcomes).toEqual([
      rejected('P2', file, 2, [{ line: 2, reason: 'phone cannot be read as an international number; give it with +country code or set --default-country' }]),
    ]);
  });

  test('"06 39 98 01 01" is accepted with defaultCountry FR', async () => {
    const { file, outcomes } = await readRow('phone-national-fr', 'P3,,06 39 98 01 01,,,,', { defaultCountry: 'FR' });

    expect(outcomes).toEqual([request('P3', file, 2, { phones: ['+33639980101'] })]);
  });

  test('with defaultCountry FR, a number still invalid gets a reason naming the country', async () => {
    const { file, outcomes } = await readRow('phone-national-fr-invalid', 'P4,,06 39 98,,,,', { defaultCountry: 'FR' });

    expect(outcomes).toEqual([
      rejected('P4', file, 2, [{ line: 2, reason: 'phone is not a valid number, neither with its +country code nor as a national number of FR' }]),
    ]);
  });

  test('an international number is read as such whatever the default country', async () => {
    const { file, outcomes } = await readRow('phone-uk-with-fr', 'P5,,+44 20 7946 0958,,,,', { defaultCountry: 'FR' });

    expect(outcomes).toEqual([request('P5', file, 2, { phones: ['+442079460958'] })]);
  });

  test('an extension is left out of the number', async () => {
    const { file, outcomes } = await readRow('phone-extension', 'P6,,+33 1 23 45 67 89 ext. 12,,,,');

    expect(outcomes).toEqual([request('P6', file, 2, { phones: ['+33123456789'] })]);
  });
});

describe('normalization', () => {
  test('e-mails trimmed and lower-cased, UUIDs lower-cased, searches trimmed, received_at as an instant', async () => {
    const { file, outcomes } = await readRow(
      'normalized',
      'N1,  Jean.Dupont@Example.FR  ,,"  Jean Dupont  ",3F2504E0-4F89-41D3-9A0C-0305E82C3301,3F2504E0-4F89-41D3-9A0C-0305E82C3302,2024-05-31 14:00',
    );

    expect(outcomes).toEqual([
      request('N1', file, 2, {
        emails: ['jean.dupont@example.fr'],
        searches: ['Jean Dupont'],
        conversationIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
        visitorIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3302'],
        receivedAt: '2024-05-31T14:00:00.000Z',
      }),
    ]);
  });

  test('a row with several problems lists each, once', async () => {
    const { file, outcomes } = await readRow('several-problems', 'S1,bad,0639,ab,nope,,');

    expect(outcomes).toEqual([
      rejected('S1', file, 2, [
        { line: 2, reason: 'email is not a valid e-mail address' },
        { line: 2, reason: 'phone cannot be read as an international number; give it with +country code or set --default-country' },
        { line: 2, reason: 'search is too short to search safely (3 characters at least)' },
        { line: 2, reason: 'conversation_id is not a UUID' },
      ]),
    ]);
  });

  test('a row naming two different request_ids is rejected on its own', async () => {
    const file = await writeRequestFile(directory.path('two-ids.json'), '[\n{"request_id": ["A", "B"], "email": "a@example.com"}\n]');

    expect(await readAll(file)).toEqual([rejected('two-ids.json:L2', file, 2, [{ line: 2, reason: 'request_id has more than one value' }])]);
  });
});

describe('received_at never rejects a request', () => {
  const unreadable = (order: string) =>
    `received_at is not a date (expected 2024-05-31, or the ${order} first: ${order === 'day' ? '31/05/2024, 31.05.2024 or 31-05-2024' : '05/31/2024, 05.31.2024 or 05-31-2024'}, each perhaps with a time 14:30); it is ignored, and the deadline is unknown`;

  async function readWithWarnings(name: string, content: string, options: Parameters<typeof readAll>[1] = {}) {
    const file = await writeRequestFile(directory.path(name), content);
    const warnings: unknown[] = [];
    const outcomes = await readAll(file, { ...options, onWarning: (warning) => warnings.push(warning) });
    return { file, outcomes, warnings };
  }

  test.each([
    ['text that is no date', 'yesterday'],
    ['a day that does not exist', '31/02/2026'],
    ['an ISO day that does not exist', '2024-02-30'],
    ['a two-digit year', '15/11/26'],
  ])('%s: the request proceeds without a date, marked unreadable; the warning names file, line and reason, not the value', async (name, date) => {
    const { file, outcomes, warnings } = await readWithWarnings(`${name.replace(/\W+/g, '-')}.csv`, `${HEADER}\nX,a@example.com,,,,,${date}\n`);

    expect(outcomes).toEqual([request('X', file, 2, { emails: ['a@example.com'], receivedAtUnreadable: true })]);
    expect(warnings).toEqual([{ file, line: 2, requestId: 'X', message: unreadable('day') }]);
    expect(JSON.stringify(warnings)).not.toContain(date);
  });

  test('two different values in one row: unreadable too', async () => {
    const { file, outcomes, warnings } = await readWithWarnings('two-dates.json', '[{"email": "a@example.com", "received_at": ["2024-05-01", "2024-06-01"]}]');

    expect(outcomes).toEqual([request('two-dates.json:L1', file, 1, { emails: ['a@example.com'], receivedAtUnreadable: true })]);
    expect(warnings).toEqual([
      { file, line: 1, requestId: 'two-dates.json:L1', message: 'received_at has more than one value; it is ignored, and the deadline is unknown' },
    ]);
  });

  test('day first by default, in every separator, with or without a time', async () => {
    const { file, outcomes, warnings } = await readWithWarnings(
      'day-first.csv',
      `${HEADER}\nA,a@example.com,,,,,15/11/2026\nB,b@example.com,,,,,15.11.2026 14:30\nC,c@example.com,,,,,15-11-2026 14:30:05\n`,
    );

    expect(outcomes).toEqual([
      request('A', file, 2, { emails: ['a@example.com'], receivedAt: '2026-11-15T00:00:00.000Z' }),
      request('B', file, 3, { emails: ['b@example.com'], receivedAt: '2026-11-15T14:30:00.000Z' }),
      request('C', file, 4, { emails: ['c@example.com'], receivedAt: '2026-11-15T14:30:05.000Z' }),
    ]);
    expect(warnings).toEqual([]);
  });

  test('dateOrder mdy reads the month first, and says so when a date does not fit', async () => {
    const { file, outcomes, warnings } = await readWithWarnings(
      'month-first.csv',
      `${HEADER}\nA,a@example.com,,,,,03/04/2026\nB,b@example.com,,,,,15/11/2026\n`,
      {
        dateOrder: 'mdy',
      },
    );

    expect(outcomes).toEqual([
      request('A', file, 2, { emails: ['a@example.com'], receivedAt: '2026-03-04T00:00:00.000Z' }),
      request('B', file, 3, { emails: ['b@example.com'], receivedAtUnreadable: true }),
    ]);
    expect(warnings).toEqual([{ file, line: 3, requestId: 'B', message: unreadable('month') }]);
  });

  test('a request of several rows, one of whose dates cannot be read, has no date: that one might be the earliest', async () => {
    const { file, outcomes } = await readWithWarnings('rows.csv', `${HEADER}\nM,a@example.com,,,,,2024-05-01\nM,b@example.com,,,,,bientôt\n`);

    expect(outcomes).toEqual([request('M', file, 2, { emails: ['a@example.com', 'b@example.com'], receivedAtUnreadable: true })]);
  });

  test('a rejected request keeps its date, or the mark that it cannot be read', async () => {
    const { file, outcomes } = await readWithWarnings('rejected-dates.csv', `${HEADER}\nA,bad,,,,,15/11/2026\nB,bad,,,,,31/11/2026\n`);

    expect(outcomes).toEqual([
      rejected('A', file, 2, [{ line: 2, reason: 'email is not a valid e-mail address' }], { receivedAt: '2026-11-15T00:00:00.000Z' }),
      rejected('B', file, 3, [{ line: 3, reason: 'email is not a valid e-mail address' }], { receivedAtUnreadable: true }),
    ]);
  });
});
