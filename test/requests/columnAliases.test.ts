import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { canonicalColumn, columnAliases } from '../../src/requests/columnAliases.js';
import { loggableColumnName } from '../../src/requests/loggableColumnName.js';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

describe('canonicalColumn', () => {
  test.each([
    ['Adresse e-mail', 'email'],
    ['E-mail address', 'email'],
    ['Email Address', 'email'],
    ['adresse mail', 'email'],
    ['Courriel', 'email'],
    ['Numéro de téléphone', 'phone'],
    ['Phone number', 'phone'],
    ['Mobile phone', 'phone'],
    ['Portable', 'phone'],
    ['Numéro de portable', 'phone'],
    ['Tél.', 'phone'],
    ['TEL', 'phone'],
    ['Date de réception', 'received_at'],
    ['Date received', 'received_at'],
    ['Received', 'received_at'],
    ['Date de la demande', 'received_at'],
    ['Request date', 'received_at'],
    ['receivedAt', 'received_at'],
    ['Nom complet', 'search'],
    ['Full name', 'search'],
    ['Customer name', 'search'],
    ['Request ID', 'request_id'],
    ['Numéro de ticket', 'request_id'],
    ['Ticket ID', 'request_id'],
    ['Identifiant de conversation', 'conversation_id'],
    ['conversationId', 'conversation_id'],
    ['Conversation UUID', 'conversation_id'],
    ['Visitor UUID', 'visitor_id'],
    ['Prénom', 'first_name'],
    ['First name', 'first_name'],
    ['given_name', 'first_name'],
    ['Nom de famille', 'last_name'],
    ['Last name', 'last_name'],
    ['Surname', 'last_name'],
    ['Family name', 'last_name'],
    ['Nom', 'name'],
    ['name', 'name'],
  ])('"%s" is %s', (name, field) => expect(canonicalColumn(name)).toBe(field));

  test.each(['Date', 'Notes', 'Conversation', 'Référence', 'Visitor', 'Agent'])('"%s" is not a column we know: it could mean more than one', (name) => {
    expect(canonicalColumn(name)).toBeUndefined();
  });

  test('every alias means its own field, however it is written', () => {
    for (const [field, aliases] of Object.entries(columnAliases())) {
      for (const alias of aliases) {
        expect([alias, canonicalColumn(alias)]).toEqual([alias, field]);
        expect([alias, canonicalColumn(alias.toUpperCase())]).toEqual([alias, field]);
      }
    }
  });
});

describe('first and last names', () => {
  test('"Prénom;Nom" (French Excel): the bare "Nom" is the last name, and the two are searched as one text', async () => {
    const file = await writeRequestFile(directory.path('prenom-nom.csv'), 'Prénom;Nom;E-mail\nZoé;Lefranc-Aubry;zoe@example.org\n');

    expect(await readAll(file)).toEqual([request('prenom-nom.csv:L2', file, 2, { emails: ['zoe@example.org'], searches: ['Zoé Lefranc-Aubry'] })]);
  });

  test('"first name" and "last name" columns, and JSON keys, the same', async () => {
    const csv = await writeRequestFile(directory.path('first-last.csv'), 'request_id,Last name,First name\nR1,Roussel,Chloé\n');
    const json = await writeRequestFile(directory.path('first-last.json'), '[{"prenom": "Chloé", "nom_de_famille": "Roussel", "email": "c@example.org"}]');

    expect(await readAll(csv)).toEqual([request('R1', csv, 2, { searches: ['Chloé Roussel'] })]);
    expect(await readAll(json)).toEqual([request('first-last.json:L1', json, 1, { emails: ['c@example.org'], searches: ['Chloé Roussel'] })]);
  });

  test('without a first-name column, "Nom" is a search as before; a last name alone is searched alone', async () => {
    const file = await writeRequestFile(directory.path('nom-only.csv'), 'request_id,nom,surname\nR1,Lefranc-Aubry,\nR2,,Roussel\nR3,Zoé Lefranc,Aubry\n');

    expect(await readAll(file)).toEqual([
      request('R1', file, 2, { searches: ['Lefranc-Aubry'] }),
      request('R2', file, 3, { searches: ['Roussel'] }),
      request('R3', file, 4, { searches: ['Zoé Lefranc', 'Aubry'] }),
    ]);
  });

  test('a first name without a last name is a search of its own, like a last name alone; the row still proceeds', async () => {
    const file = await writeRequestFile(directory.path('first-alone.csv'), 'request_id;prénom;nom;email\nR1;Zoé;;zoe@example.org\nR2;;Roussel;c@example.org\n');

    expect(await readAll(file)).toEqual([
      request('R1', file, 2, { emails: ['zoe@example.org'], searches: ['Zoé'] }),
      request('R2', file, 3, { emails: ['c@example.org'], searches: ['Roussel'] }),
    ]);
  });

  test('two different first names in one row are refused rather than paired by guess', async () => {
    const file = await writeRequestFile(directory.path('two-first.json'), '[{"first name": ["Zoé", "Chloé"], "last name": "Roussel"}]');

    expect(await readAll(file)).toEqual([rejected('two-first.json:L1', file, 1, [{ line: 1, reason: 'first_name and last_name must hold one value each' }])]);
  });
});

describe('unknown columns are reported by name, unless the name may be personal data', () => {
  test.each([
    ['Notes', 'Notes'],
    ['Agent assigné', 'Agent assigné'],
    ['zoe@example.org', '<column 4>'],
    ['+33 6 39 98 01 03', '<column 4>'],
    ['0639980103', '<column 4>'],
    ['order 12345', 'order 12345'],
    ['x'.repeat(65), '<column 4>'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('%s is logged as %s', (name, logged) => expect(loggableColumnName(name, 4)).toBe(logged));

  test('a JSON key holding an e-mail or a phone is named by its position', async () => {
    const reports: string[][] = [];
    const file = await writeRequestFile(
      directory.path('keys.json'),
      '[{"email": "a@example.com", "Notes": "x", "zoe@example.org": true, "06 39 98 01 03": 1}, {"email": "b@example.com", "0639980103": 2}]',
    );

    await readAll(file, { onUnknownColumns: (_file, columns) => reports.push(columns) });

    expect(reports).toEqual([['Notes', '<column 3>', '<column 4>', '<column 2>']]);
  });
});
