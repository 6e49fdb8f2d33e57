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
    ['no identifier at all', 'X,,,,,,2024-05-01', 'the row has no e-mail, phone, search, conversation_id or visitor_id'],
    ['search shorter than 3 characters after trimming', 'X,,,  Jo  ,,,', 'search is too short to search safely (3 characters at least)'],
    ['received_at not a date', 'X,a@example.com,,,,,yesterday', 'received_at is not a date (expected ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)'],
    ['received_at on a day that does not exist', 'X,a@example.com,,,,,2024-02-30', 'received_at is not a date (expected ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)'],
    ['received_at in a French spreadsheet format', 'X,a@example.com,,,,,31/05/2024', 'received_at is not a date (expected ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:00:00Z)'],
  ];

  test.each(cases)('%s', async (name, row, reason) => {
    const { file, outcomes } = await readRow(name.replace(/\W+/g, '-'), row);

    expect(outcomes).toEqual([rejected('X', file, 2, [{ line: 2, reason }])]);
    const values = row.split(',').map((value) => value.trim()).filter((value) => value.length > 1 && value !== 'X');
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
      rejected('P2', file, 2, [
        { line: 2, reason: 'phone cannot be read as an international number; give it with +country code or set --default-country' },
      ]),
    ]);
  });

  test('"06 39 98 01 01" is accepted with defaultCountry FR', async () => {
    const { file, outcomes } = await readRow('phone-national-fr', 'P3,,06 39 98 01 01,,,,', { defaultCountry: 'FR' });

    expect(outcomes).toEqual([request('P3', file, 2, { phones: ['+33639980101'] })]);
  });

  test('with defaultCountry FR, a number still invalid gets a reason naming the country', async () => {
    const { file, outcomes } = await readRow('phone-national-fr-invalid', 'P4,,06 39 98,,,,', { defaultCountry: 'FR' });

    expect(outcomes).toEqual([
      rejected('P4', file, 2, [
        { line: 2, reason: 'phone is not a valid number, neither with its +country code nor as a national number of FR' },
      ]),
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
