import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

const LONG = 'x'.repeat(70 * 1024);

/** Outcomes hold none of these values: the bad rows' values are never echoed in a reason or an id. */
function expectNoneOf(outcomes: unknown, values: string[]): void {
  const text = JSON.stringify(outcomes);
  for (const value of values) expect(text).not.toContain(value);
}

describe('one bad row rejects one row', () => {
  test('a field over 64 KiB, unquoted, is rejected and reading goes on at the next line, lines counted right', async () => {
    const file = await writeRequestFile(
      directory.path('long-unquoted.csv'),
      `request_id;email;notes\nA;a@example.com;\nB;b@example.com;${LONG}\n\nC;c@example.com;"two\nlines"\nD;d@example.com;\n`,
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      request('A', file, 2, { emails: ['a@example.com'] }),
      rejected('B', file, 3, [{ line: 3, reason: 'the row is longer than 64 KiB' }]),
      request('C', file, 5, { emails: ['c@example.com'] }),
      request('D', file, 7, { emails: ['d@example.com'] }),
    ]);
    expectNoneOf(outcomes, ['b@example.com', 'xxxx']);
  });

  test('an over-long row that is the last one, with no line break after it, is rejected', async () => {
    const file = await writeRequestFile(directory.path('long-last.csv'), `email;search\na@example.com;\nb@example.com;${LONG}`);

    expect(await readAll(file)).toEqual([
      request('long-last.csv:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('long-last.csv:L3', file, 3, [{ line: 3, reason: 'the row is longer than 64 KiB' }]),
    ]);
  });

  test('a quoted field over 64 KiB that closes lines later is rejected with the lines it spans; the rows after it are read', async () => {
    const swallowed = Array.from({ length: 3000 }, (_, index) => `S${index};s${index}@example.com;`).join('\n');
    const file = await writeRequestFile(directory.path('long-quoted.csv'), `request_id;email;search\nA;a@example.com;"Jean\n${swallowed}"\nC;c@example.com;\n`);

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      rejected('A', file, 2, [{ line: 2, reason: 'the row is longer than 64 KiB (it runs from line 2 to line 3002: a quote closed too late?)' }]),
      request('C', file, 3003, { emails: ['c@example.com'] }),
    ]);
    expectNoneOf(outcomes, ['a@example.com', 's1@example.com', 'Jean']);
  });

  test('an unclosed quote stops the file: one rejection names the lines from it to the last one', async () => {
    const file = await writeRequestFile(
      directory.path('unclosed-range.csv'),
      'email;search\na@example.com;\nb@example.com;"Jean\nc@example.com;\nd@example.com;Marie\n\n',
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      request('unclosed-range.csv:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('unclosed-range.csv:L3', file, 3, [
        { line: 3, reason: 'the row is not valid CSV: a quote is never closed; lines 3-5, to the end of the file, are not read as rows' },
      ]),
    ]);
    expectNoneOf(outcomes, ['b@example.com', 'c@example.com', 'd@example.com', 'Jean', 'Marie']);
  });

  test('an unclosed quote over 64 KiB still names every line to the end of the file', async () => {
    const file = await writeRequestFile(directory.path('unclosed-long.csv'), `email;search\na@example.com;"${LONG}\nb@example.com;\nc@example.com;\n`);

    expect(await readAll(file)).toEqual([
      rejected('unclosed-long.csv:L2', file, 2, [
        { line: 2, reason: 'the row is not valid CSV: a quote is never closed; lines 2-4, to the end of the file, are not read as rows' },
      ]),
    ]);
  });

  test('a row with fewer or more fields than the header line is rejected; the rows after it are read', async () => {
    const file = await writeRequestFile(
      directory.path('field-count.csv'),
      'request_id;email;search\nA;a@example.com\nB;b@example.com;Jean;Dupont\nC;c@example.com;;\nD;d@example.com;Marie\n',
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      rejected('A', file, 2, [
        { line: 2, reason: 'the row has 2 fields where the header line has 3 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
      ]),
      rejected('B', file, 3, [
        { line: 3, reason: 'the row has 4 fields where the header line has 3 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
      ]),
      rejected('C', file, 4, [
        { line: 4, reason: 'the row has 4 fields where the header line has 3 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
      ]),
      request('D', file, 5, { emails: ['d@example.com'], searches: ['Marie'] }),
    ]);
    expectNoneOf(outcomes, ['a@example.com', 'Dupont']);
  });

  test('an identifier holding a line break is rejected: the rows a quote closed too late swallowed are not searched', async () => {
    const file = await writeRequestFile(
      directory.path('line-break.csv'),
      [
        'email;search;notes',
        '"a@example.com',
        'b@example.com";;',
        'c@example.com;"Jean',
        'd@example.com;Marie";',
        'e@example.com;;"a note',
        'on two lines"',
        'f@example.com;;',
        '',
      ].join('\n'),
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      rejected('line-break.csv:L2', file, 2, [
        {
          line: 2,
          reason:
            'email holds a line break (the row runs from line 2 to line 3): no identifier does, so a quote closed too late has likely swallowed the rows after it',
        },
      ]),
      rejected('line-break.csv:L4', file, 4, [
        {
          line: 4,
          reason:
            'search holds a line break (the row runs from line 4 to line 5): no identifier does, so a quote closed too late has likely swallowed the rows after it',
        },
      ]),
      request('line-break.csv:L6', file, 6, { emails: ['e@example.com'] }),
      request('line-break.csv:L8', file, 8, { emails: ['f@example.com'] }),
    ]);
    expectNoneOf(outcomes, ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'Jean', 'Marie']);
  });

  test('a row written with "," in a ";" file is rejected, and its whole text, e-mail included, is not its request_id', async () => {
    const file = await writeRequestFile(
      directory.path('wrong-delimiter.csv'),
      'request_id;email;search\nM-1;lea.martin@example.com;\nM-2,hugo.petit@example.com,\nM-3;jade.roux@example.com;\n',
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      request('M-1', file, 2, { emails: ['lea.martin@example.com'] }),
      rejected('wrong-delimiter.csv:L3', file, 3, [
        { line: 3, reason: 'the row has 1 field where the header line has 3 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
        { line: 3, reason: 'request_id holds an @ (an e-mail?), so it is not used, and the request is named after its file and line' },
      ]),
      request('M-3', file, 4, { emails: ['jade.roux@example.com'] }),
    ]);
    expectNoneOf(outcomes, ['hugo', 'M-2']);
  });
});

describe('a request_id that may hold personal data is not used', () => {
  const LONG_ID = `T-${'a'.repeat(127)}`;
  const reasons = {
    at: 'request_id holds an @ (an e-mail?), so it is not used, and the request is named after its file and line',
    digits: 'request_id holds 6 digits in a row (a phone number?), so it is not used, and the request is named after its file and line',
    long: 'request_id is longer than 128 characters, so it is not used, and the request is named after its file and line',
  };

  test('CSV: an @, 6 digits in a row, over 128 characters; 5 digits and 128 characters are fine', async () => {
    const file = await writeRequestFile(
      directory.path('ids.csv'),
      `request_id;email\nmarie@example.com;a@example.com\nT-0639980300;b@example.com\n${LONG_ID};c@example.com\nT-12345;d@example.com\n${LONG_ID.slice(0, 128)};e@example.com\nmarie@example.com;f@example.com\n`,
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      rejected('ids.csv:L2', file, 2, [{ line: 2, reason: reasons.at }]),
      rejected('ids.csv:L3', file, 3, [{ line: 3, reason: reasons.digits }]),
      rejected('ids.csv:L4', file, 4, [{ line: 4, reason: reasons.long }]),
      request('T-12345', file, 5, { emails: ['d@example.com'] }),
      request(LONG_ID.slice(0, 128), file, 6, { emails: ['e@example.com'] }),
      rejected('ids.csv:L7', file, 7, [{ line: 7, reason: reasons.at }]),
    ]);
    expectNoneOf(outcomes, ['marie', '0639980300', LONG_ID]);
  });

  test('JSON and NDJSON follow the same rule, numbers included', async () => {
    const json = await writeRequestFile(
      directory.path('ids.json'),
      '[\n{"request_id": "marie@example.com", "email": "a@example.com"},\n{"request_id": 639980300, "email": "b@example.com"},\n{"request_id": 42, "email": "c@example.com"}\n]\n',
    );
    const ndjson = await writeRequestFile(
      directory.path('ids.ndjson'),
      `{"request_id": ["${LONG_ID}"], "email": "a@example.com"}\n{"request_id": "T-1", "email": "b@example.com"}\n`,
    );

    const fromJson = await readAll(json);
    const fromNdjson = await readAll(ndjson);

    expect(fromJson).toEqual([
      rejected('ids.json:L2', json, 2, [{ line: 2, reason: reasons.at }]),
      rejected('ids.json:L3', json, 3, [{ line: 3, reason: reasons.digits }]),
      request('42', json, 4, { emails: ['c@example.com'] }),
    ]);
    expect(fromNdjson).toEqual([
      rejected('ids.ndjson:L1', ndjson, 1, [{ line: 1, reason: reasons.long }]),
      request('T-1', ndjson, 2, { emails: ['b@example.com'] }),
    ]);
    expectNoneOf([fromJson, fromNdjson], ['marie', '639980300', LONG_ID]);
  });
});
