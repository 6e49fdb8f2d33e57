import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ReadOutcome } from '../../src/requests/personRequest.js';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

const COLUMNS = ['request_id', 'email', 'phone', 'search', 'conversation_id', 'visitor_id', 'received_at'] as const;
// One row a line from line 2 on, as a spreadsheet would hold them.
const ROWS: string[][] = [
  ['R1', 'Jean.Dupont@Example.fr', '06 39 98 01 01', '', '', '', '2024-05-02'],
  ['R2', '', '+33 6 12 34 56 78', 'Marie Curie', '', '', ''],
  ['R1', 'jean.dupont@example.fr', '', 'Jean Dupont', '', '', '2024-05-01'],
  ['R3', '', '', '', '3F2504E0-4F89-41D3-9A0C-0305E82C3301', '', ''],
  ['R4', 'not-an-email', '', '', '', '', ''],
  ['R2', 'Marie@Example.org', '', '', '', '', '2024-06-01T10:00:00+02:00'],
  ['R5', '', '', '', '', '12345', ''],
];

function rowObject(row: string[]): Record<string, string | null> {
  const object: Record<string, string | null> = {};
  for (const [index, column] of COLUMNS.entries()) {
    // empty cells left out, or null: both mean "no value"
    if (row[index]) object[column] = row[index];
    else if (column === 'received_at') object[column] = null;
  }
  return object;
}

function withoutFile(outcomes: ReadOutcome[]): unknown[] {
  return outcomes.map((outcome) =>
    outcome.kind === 'request'
      ? { ...outcome, request: { ...outcome.request, source: { ...outcome.request.source, file: '' } } }
      : { ...outcome, rejected: { ...outcome.rejected, source: { ...outcome.rejected.source, file: '' } } },
  );
}

describe('formats', () => {
  test('a French Excel CSV (BOM, ";", CRLF) and the same requests as a JSON array and as NDJSON give the same outcomes', async () => {
    const csv = await writeRequestFile(directory.path('excel.csv'), `\uFEFF${[COLUMNS.join(';'), ...ROWS.map((row) => row.join(';'))].join('\r\n')}\r\n`);
    const json = await writeRequestFile(directory.path('export.json'), `[\n${ROWS.map((row) => JSON.stringify(rowObject(row))).join(',\n')}\n]\n`);
    // a blank first line (skipped) puts each object on the line of its CSV row
    const ndjson = await writeRequestFile(directory.path('export.ndjson'), `\n${ROWS.map((row) => JSON.stringify(rowObject(row))).join('\n')}\n`);

    const fromCsv = await readAll(csv, { defaultCountry: 'FR' });

    expect(fromCsv).toEqual([
      request('R1', csv, 2, {
        emails: ['jean.dupont@example.fr'],
        phones: ['+33639980101'],
        searches: ['Jean Dupont'],
        receivedAt: '2024-05-01T00:00:00.000Z',
      }),
      request('R3', csv, 5, { conversationIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] }),
      rejected('R4', csv, 6, [{ line: 6, reason: 'email is not a valid e-mail address' }]),
      request('R2', csv, 3, {
        emails: ['marie@example.org'],
        phones: ['+33612345678'],
        searches: ['Marie Curie'],
        receivedAt: '2024-06-01T08:00:00.000Z',
      }),
      rejected('R5', csv, 8, [
        {
          line: 8,
          reason:
            'visitor_id is not a UUID: the visitor ID shown in the iAdvize admin is not the GraphQL UUID; take the UUID from the API (the visitor of the conversation in closedConversations)',
        },
      ]),
    ]);
    expect(withoutFile(await readAll(json, { defaultCountry: 'FR' }))).toEqual(withoutFile(fromCsv));
    expect(withoutFile(await readAll(ndjson, { defaultCountry: 'FR' }))).toEqual(withoutFile(fromCsv));
  });

  test('reads a tab-delimited file', async () => {
    const file = await writeRequestFile(directory.path('tabs.tsv'), 'request_id\temail\tsearch\nT1\ta@example.com\tJean, Dupont; fils\n');

    expect(await readAll(file)).toEqual([request('T1', file, 2, { emails: ['a@example.com'], searches: ['Jean, Dupont; fils'] })]);
  });

  test('reads quoted fields holding the delimiter, doubled quotes and a line break, and numbers the rows after them right', async () => {
    // a line break only in a column that holds no identifier (readRequests.badRows.test.ts)
    const file = await writeRequestFile(
      directory.path('quoted.csv'),
      [
        'email;search;notes',
        'a@example.com;"Dupont; Jean ""le grand""";"note',
        'suite de la note"',
        'b@example.com;;"deux',
        '',
        'lignes vides"',
        'c@example.com;;',
        '',
      ].join('\n'),
    );

    expect(await readAll(file)).toEqual([
      request('quoted.csv:L2', file, 2, { emails: ['a@example.com'], searches: ['Dupont; Jean "le grand"'] }),
      request('quoted.csv:L4', file, 4, { emails: ['b@example.com'] }),
      request('quoted.csv:L7', file, 7, { emails: ['c@example.com'] }),
    ]);
  });

  test('a CRLF inside a quoted field counts as one line (csv-parse alone counts two)', async () => {
    const file = await writeRequestFile(
      directory.path('crlf-inside.csv'),
      'email,search,notes\r\na@example.com,one,"two\r\nlines"\r\nb@example.com,three,\r\n',
    );

    expect(await readAll(file)).toEqual([
      request('crlf-inside.csv:L2', file, 2, { emails: ['a@example.com'], searches: ['one'] }),
      request('crlf-inside.csv:L4', file, 4, { emails: ['b@example.com'], searches: ['three'] }),
    ]);
  });

  test('matches columns whatever their case, accents, spaces and hyphens, and by alias (Ticket, E-mail, Téléphone, NOM)', async () => {
    const file = await writeRequestFile(
      directory.path('aliases.csv'),
      ' Ticket ;E-mail;Téléphone;NOM;Conversation ID;visitor-id;RECEIVED_AT;courriel;Mobile\n' +
        'T9;A@Example.com;+33639980101;Dupont;3f2504e0-4f89-41d3-9a0c-0305e82c3301;3F2504E0-4F89-41D3-9A0C-0305E82C3302;2024-01-02;b@example.com;+33612345678\n',
    );

    expect(await readAll(file)).toEqual([
      request('T9', file, 2, {
        emails: ['a@example.com', 'b@example.com'],
        phones: ['+33639980101', '+33612345678'],
        searches: ['Dupont'],
        conversationIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
        visitorIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3302'],
        receivedAt: '2024-01-02T00:00:00.000Z',
      }),
    ]);
  });

  test('JSON keys in camelCase match too (requestId, conversationId)', async () => {
    const file = await writeRequestFile(directory.path('camel.json'), '[{"requestId": "C1", "conversationId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}]');

    expect(await readAll(file)).toEqual([request('C1', file, 1, { conversationIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] })]);
  });

  test('reports unknown columns once per file, and ignores them', async () => {
    const reports: [string, string[]][] = [];
    const csv = await writeRequestFile(directory.path('unknown.csv'), 'email,Notes,Agent\na@example.com,x,y\nb@example.com,z,w\n');
    const json = await writeRequestFile(
      directory.path('unknown.json'),
      '[{"email": "a@example.com", "notes": "x"}, {"email": "b@example.com", "notes": "y", "agent": {"id": 3}}]',
    );
    const onUnknownColumns = (file: string, columns: string[]) => reports.push([file, columns]);

    const outcomes = await readAll(csv, { onUnknownColumns });
    await readAll(json, { onUnknownColumns });

    expect(reports).toEqual([
      [csv, ['Notes', 'Agent']],
      [json, ['notes', 'agent']],
    ]);
    expect(outcomes).toEqual([
      request('unknown.csv:L2', csv, 2, { emails: ['a@example.com'] }),
      request('unknown.csv:L3', csv, 3, { emails: ['b@example.com'] }),
    ]);
  });

  test('does not call onUnknownColumns when every column is known', async () => {
    const reports: string[][] = [];
    const file = await writeRequestFile(directory.path('known.csv'), 'email\na@example.com\n');

    await readAll(file, { onUnknownColumns: (_file, columns) => reports.push(columns) });

    expect(reports).toEqual([]);
  });

  test('sniffs a file of unknown extension: "[" is a JSON array, "{" NDJSON, anything else CSV', async () => {
    const json = await writeRequestFile(directory.path('sniff-json.export'), '\uFEFF  \n[{"email": "a@example.com"}]');
    const ndjson = await writeRequestFile(directory.path('sniff-ndjson'), '{"email": "b@example.com"}\n{"email": "c@example.com"}\n');
    const csv = await writeRequestFile(directory.path('sniff-csv.dat'), 'email\nd@example.com\n');

    expect(await readAll(json)).toEqual([request('sniff-json.export:L2', json, 2, { emails: ['a@example.com'] })]);
    expect(await readAll(ndjson)).toEqual([
      request('sniff-ndjson:L1', ndjson, 1, { emails: ['b@example.com'] }),
      request('sniff-ndjson:L2', ndjson, 2, { emails: ['c@example.com'] }),
    ]);
    expect(await readAll(csv)).toEqual([request('sniff-csv.dat:L2', csv, 2, { emails: ['d@example.com'] })]);
  });

  test('skips blank lines and rows whose cells are all empty, as spreadsheets leave them', async () => {
    const file = await writeRequestFile(directory.path('blanks.csv'), '\nemail;search\n\n;;\n  ;  \na@example.com;\n\n');

    expect(await readAll(file)).toEqual([request('blanks.csv:L6', file, 6, { emails: ['a@example.com'] })]);
  });

  test('a header with only one column defaults to the comma and reads fine', async () => {
    const file = await writeRequestFile(directory.path('one-column.csv'), 'email\r\na@example.com\r\n');

    expect(await readAll(file)).toEqual([request('one-column.csv:L2', file, 2, { emails: ['a@example.com'] })]);
  });

  test('JSON values: a number is text, an array gives several values, null and "" are no value', async () => {
    const file = await writeRequestFile(
      directory.path('values.json'),
      '[{"request_id": 42, "email": ["a@example.com", "", null, "b@example.com"], "phone": "", "search": null, "query": "Dupont"}]',
    );

    expect(await readAll(file)).toEqual([request('42', file, 1, { emails: ['a@example.com', 'b@example.com'], searches: ['Dupont'] })]);
  });

  test('JSON values of another type (object, boolean) reject the row, naming the field', async () => {
    const file = await writeRequestFile(directory.path('bad-values.json'), '[\n{"email": {"value": "a@example.com"}},\n{"phone": true, "search": "Dupont"}\n]');

    expect(await readAll(file)).toEqual([
      rejected('bad-values.json:L2', file, 2, [
        { line: 2, reason: 'email must be text, a number or a list of them' },
        { line: 2, reason: 'the row has no e-mail, phone, search, conversation_id or visitor_id' },
      ]),
      rejected('bad-values.json:L3', file, 3, [{ line: 3, reason: 'phone must be text, a number or a list of them' }]),
    ]);
  });

  test('several elements on one line (minified JSON) still get distinct derived ids', async () => {
    const file = await writeRequestFile(directory.path('minified.json'), '[{"email":"a@example.com"},{"email":"b@example.com"},{"email":"c@example.com"}]');

    expect(await readAll(file)).toEqual([
      request('minified.json:L1', file, 1, { emails: ['a@example.com'] }),
      request('minified.json:L1#2', file, 1, { emails: ['b@example.com'] }),
      request('minified.json:L1#3', file, 1, { emails: ['c@example.com'] }),
    ]);
  });

  test('an empty file, or a header alone, holds no request', async () => {
    const empty = await writeRequestFile(directory.path('empty.csv'), '');
    const headerOnly = await writeRequestFile(directory.path('header-only.csv'), 'email;phone\r\n');
    const emptyArray = await writeRequestFile(directory.path('empty.json'), '[ ]');

    expect(await readAll(empty)).toEqual([]);
    expect(await readAll(headerOnly)).toEqual([]);
    expect(await readAll(emptyArray)).toEqual([]);
  });
});
