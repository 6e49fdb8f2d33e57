import { open, truncate } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { RequestFileError } from '../../src/requests/requestFileError.js';
import type { RequestFileWarning } from '../../src/requests/requestFileWarning.js';
import { readWorkbookRequests } from '../../src/requests/readWorkbookRequests.js';
import type { ReadOutcome } from '../../src/requests/personRequest.js';
import { openWorksheet } from '../../src/requests/xlsx/openWorksheet.js';
import { MAX_XLSX_FILE_BYTES, XLSX_LIMITS, type XlsxLimits } from '../../src/requests/xlsx/xlsxLimits.js';
import { editWorkbook, writeStreamedWorkbook, writeWorkbook } from '../helpers/xlsxWorkbook.js';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

async function readError(file: string, options: Parameters<typeof readAll>[1] = {}): Promise<RequestFileError> {
  const error = await readAll(file, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RequestFileError);
  return error as RequestFileError;
}

/** The aliases a French compliance team writes, a phone stored as a number, a date cell, an empty row. */
function requestsSheet(workbook: Parameters<Parameters<typeof writeWorkbook>[1]>[0]): void {
  const sheet = workbook.addWorksheet('Demandes');
  sheet.addRow(['Numéro de ticket', 'Adresse e-mail', 'Téléphone', 'Date de réception', 'Prénom', 'Nom', 'Commentaire']);
  sheet.addRow(['T-1', 'Alice.Martin@example.com', 33612345678, new Date(Date.UTC(2026, 10, 15, 14, 30)), 'Alice', 'Martin', 'urgent']);
  sheet.addRow([]);
  sheet.addRow(['T-2', { richText: [{ text: 'bruno' }, { font: { bold: true }, text: '@example.net' }] }, '+33 6 39 98 03 00', 46341, null, null, true]);
  sheet.getCell('D2').numFmt = 'dd/mm/yyyy hh:mm';
}

describe('an .xlsx file', () => {
  test('the first sheet is read with the same columns and aliases as a CSV file, each request at its sheet row', async () => {
    const file = await writeWorkbook(directory.path('requests.xlsx'), requestsSheet);
    const warnings: RequestFileWarning[] = [];
    const unknown: string[][] = [];

    const outcomes = await readAll(file, {
      defaultCountry: 'FR',
      onWarning: (warning) => warnings.push(warning),
      onUnknownColumns: (_, columns) => unknown.push(columns),
    });

    expect(outcomes).toEqual([
      request('T-1', file, 2, {
        emails: ['alice.martin@example.com'],
        phones: ['+33612345678'],
        searches: ['Alice Martin'],
        receivedAt: '2026-11-15T14:30:00.000Z',
      }),
      // a rich text is its plain text; a bare number under received_at is a date serial (46341 is 15 November 2026)
      request('T-2', file, 4, { emails: ['bruno@example.net'], phones: ['+33639980300'], receivedAt: '2026-11-15T00:00:00.000Z' }),
    ]);
    expect(unknown).toEqual([['Commentaire']]);
    // the phone stored as a number: named by file, row, sheet and column, never by value
    expect(warnings).toEqual([
      {
        file,
        line: 2,
        requestId: 'T-1',
        message: expect.stringMatching(/^phone in column C of sheet "Demandes" is stored as a number, which keeps no leading 0 or \+/) as unknown as string,
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('612345678');
  });

  test('a number is read digit for digit, exponent or not; a phone as a number, its + or 0 lost, is read as a CSV file would hold it, with a warning', async () => {
    const file = await editWorkbook(
      await writeWorkbook(directory.path('numbers.xlsx'), (workbook) => {
        const sheet = workbook.addWorksheet('S');
        sheet.addRow(['request_id', 'phone']);
        sheet.addRow([1001, 33639980300]);
        sheet.addRow([1002, 639980300]);
        sheet.addRow([1003, 1]);
      }),
      // another writer's spelling of the same number, which a double would hold as 33639980299.999996
      { 'xl/worksheets/sheet1.xml': (text) => text.replace(/(<c r="B4"[^>]*>)<v>1<\/v>/, '$1<v>3.36399803E10</v>') },
    );
    const warnings: RequestFileWarning[] = [];

    const withoutCountry = await readAll(file, { onWarning: (warning) => warnings.push(warning) });
    const withCountry = await readAll(file, { defaultCountry: 'FR' });

    const unreadable = 'phone cannot be read as an international number; give it with +country code or set --default-country';
    expect(withoutCountry).toEqual([
      rejected('1001', file, 2, [{ line: 2, reason: unreadable }]),
      rejected('1002', file, 3, [{ line: 3, reason: unreadable }]),
      rejected('1003', file, 4, [{ line: 4, reason: unreadable }]),
    ]);
    expect(warnings.map(({ line, requestId }) => [line, requestId])).toEqual([
      [2, '1001'],
      [3, '1002'],
      [4, '1003'],
    ]);
    expect(withCountry).toEqual([
      request('1001', file, 2, { phones: ['+33639980300'] }),
      request('1002', file, 3, { phones: ['+33639980300'] }),
      request('1003', file, 4, { phones: ['+33639980300'] }),
    ]);
  });

  test('in the 1904 date system (old Excel for Mac), a date cell is the same instant', async () => {
    const file = await writeWorkbook(directory.path('mac.xlsx'), (workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['email', 'received_at']);
      sheet.addRow(['a@example.com', new Date(Date.UTC(2026, 10, 15, 14, 30))]);
      sheet.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
    });

    expect(await readAll(file)).toEqual([request(`mac.xlsx:L2`, file, 2, { emails: ['a@example.com'], receivedAt: '2026-11-15T14:30:00.000Z' })]);
  });

  test('a formula gives its saved result; a merged range its first cell only; a boolean TRUE or FALSE', async () => {
    const file = await writeWorkbook(directory.path('formulas.xlsx'), (workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['request_id', 'email', 'search']);
      sheet.addRow(['F-1', { formula: 'LOWER("A@EXAMPLE.COM")', result: 'a@example.com' }, 'Jean Dupont']);
      sheet.addRow(['F-2', 'b@example.com', null]);
      sheet.mergeCells('C2:C3');
      sheet.addRow(['F-3', 'c@example.com', true]);
    });

    expect(await readAll(file)).toEqual([
      request('F-1', file, 2, { emails: ['a@example.com'], searches: ['Jean Dupont'] }),
      request('F-2', file, 3, { emails: ['b@example.com'] }),
      request('F-3', file, 4, { emails: ['c@example.com'], searches: ['TRUE'] }),
    ]);
  });

  test('inline strings and rich text of a streamed writer are read as shared strings are', async () => {
    const file = await writeStreamedWorkbook(directory.path('inline.xlsx'), [
      ['ticket', 'mail'],
      ['I-1', { richText: [{ text: 'a@' }, { text: 'example.com' }] }],
      ['I-2', 'b@example.com'],
    ]);

    expect(await readAll(file)).toEqual([request('I-1', file, 2, { emails: ['a@example.com'] }), request('I-2', file, 3, { emails: ['b@example.com'] })]);
  });

  test('a bad row is rejected at its sheet row with the reason, never the value, and the rest proceeds', async () => {
    const file = await writeWorkbook(directory.path('bad-row.xlsx'), (workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['request_id', 'email']);
      sheet.addRow(['B-1', 'a@example.com']);
      sheet.addRow([]);
      sheet.addRow(['B-2', 'not-an-address']);
      sheet.addRow(['B-3', { formula: 'NA()', result: { error: '#N/A' } }]);
      sheet.addRow(['B-4', 'd@example.com']);
    });

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      request('B-1', file, 2, { emails: ['a@example.com'] }),
      rejected('B-2', file, 4, [{ line: 4, reason: 'email is not a valid e-mail address' }]),
      rejected('B-3', file, 5, [{ line: 5, reason: 'email (column B) holds an Excel error (#N/A)' }]),
      request('B-4', file, 6, { emails: ['d@example.com'] }),
    ]);
    expect(JSON.stringify(outcomes)).not.toContain('not-an-address');
  });

  test('rows sharing a request_id merge across the sheet, as in a CSV file', async () => {
    const file = await writeWorkbook(directory.path('merge.xlsx'), (workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['request_id', 'email']);
      sheet.addRow(['M-1', 'a@example.com']);
      sheet.addRow(['M-2', 'b@example.com']);
      sheet.addRow(['M-1', 'c@example.com']);
    });

    expect(await readAll(file)).toEqual([
      request('M-2', file, 3, { emails: ['b@example.com'] }),
      request('M-1', file, 2, { emails: ['a@example.com', 'c@example.com'] }),
    ]);
  });

  test('--sheet picks a sheet by name (case ignored); an unknown name is refused, naming the sheets there are', async () => {
    const file = await writeWorkbook(directory.path('sheets.xlsx'), (workbook) => {
      workbook.addWorksheet('Notes').addRow(['nothing to see']);
      const sheet = workbook.addWorksheet('Requests');
      sheet.addRow(['email']);
      sheet.addRow(['a@example.com']);
    });

    expect(await readAll(file, { sheet: 'requests' })).toEqual([request('sheets.xlsx:L2', file, 2, { emails: ['a@example.com'] })]);
    const error = await readError(file, { sheet: 'Archive' });
    expect(error.message).toBe(`request file ${file}: has no sheet named "Archive" (--sheet); its sheets: "Notes", "Requests"`);
    // without --sheet, the first tab: it has no header a request file has
    expect((await readError(file)).message).toContain('the first row with a value (row 1) names no known column');
  });

  test('without --sheet, a hidden first sheet is passed over for the first visible one; named, it is read', async () => {
    const file = await writeWorkbook(directory.path('hidden.xlsx'), (workbook) => {
      const hidden = workbook.addWorksheet('Old requests', { state: 'hidden' });
      hidden.addRow(['email']);
      hidden.addRow(['old@example.com']);
      const sheet = workbook.addWorksheet('Requests');
      sheet.addRow(['email']);
      sheet.addRow(['new@example.com']);
    });

    expect(await readAll(file)).toEqual([request('hidden.xlsx:L2', file, 2, { emails: ['new@example.com'] })]);
    expect(await readAll(file, { sheet: 'Old requests' })).toEqual([request('hidden.xlsx:L2', file, 2, { emails: ['old@example.com'] })]);
  });
});

describe('an .xlsx file that is refused', () => {
  test('a macro-enabled workbook, by its name or by the VBA project inside', async () => {
    const xlsm = await writeWorkbook(directory.path('macros.xlsm'), requestsSheet);
    const hidden = await editWorkbook(await writeWorkbook(directory.path('macros.xlsx'), requestsSheet), {
      'xl/vbaProject.bin': Buffer.from('not really VBA'),
    });
    const declared = await editWorkbook(await writeWorkbook(directory.path('declared.xlsx'), requestsSheet), {
      '[Content_Types].xml': (text) => text.replace('spreadsheetml.sheet.main+xml', 'ms-excel.sheet.macroEnabled.main+xml'),
    });

    for (const file of [xlsm, hidden, declared]) {
      const error = await readError(file);
      expect(error.code).toBe('unsupported_format');
      expect(error.message).toBe(
        `request file ${file}: is a macro-enabled workbook (it holds a VBA project): it is refused, as macros are code; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"`,
      );
    }
  });

  test('an encrypted workbook or an old .xls (an OLE compound file) says it may be either, and what to save it as', async () => {
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const name of ['protected.xlsx', 'old.xls']) {
      const file = await writeRequestFile(directory.path(name), Buffer.concat([header, Buffer.alloc(504, 0x2a)]));
      const error = await readError(file);
      expect(error.message).toBe(
        `request file ${file}: is an OLE compound file: a password-protected (encrypted) Excel workbook, or an old Excel 97-2003 .xls; ` +
          'remove the password and save it as "Excel Workbook (.xlsx)", or save it as "CSV UTF-8"',
      );
    }
  });

  test(`a file over ${MAX_XLSX_FILE_BYTES / 1024 / 1024} MiB is refused before it is opened`, async () => {
    const file = await writeWorkbook(directory.path('huge.xlsx'), requestsSheet);
    // sparse: the size is what is checked, before the zip is read
    await truncate(file, MAX_XLSX_FILE_BYTES + 1);

    const error = await readError(file);

    expect(error.message).toBe(
      `request file ${file}: is larger than 50 MiB, the most an .xlsx request file may be; split it, or save it as "CSV UTF-8" (a CSV file may be any size)`,
    );
  });

  test('a file named .xlsx that is no zip, and a zip that is no workbook', async () => {
    const notZip = await writeRequestFile(directory.path('fake.xlsx'), 'email\na@example.com\n');
    expect((await readError(notZip)).message).toBe(
      `request file ${notZip}: is named .xlsx but is not an Excel workbook (it is not a zip file); save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"`,
    );
    const damaged = await writeRequestFile(directory.path('damaged.xlsx'), Buffer.from('PK\u0003\u0004 not really a zip'));
    expect((await readError(damaged)).message).toContain('is not a readable .xlsx workbook (its zip structure is damaged)');
    const noWorkbook = await editWorkbook(await writeWorkbook(directory.path('no-workbook.xlsx'), requestsSheet), { 'xl/workbook.xml': null });
    expect((await readError(noWorkbook)).message).toContain('is a zip archive but not an Excel workbook');
  });

  test('a DOCTYPE (the way to an external entity) is refused, and no entity is resolved', async () => {
    const file = await editWorkbook(await writeWorkbook(directory.path('xxe.xlsx'), requestsSheet), {
      'xl/sharedStrings.xml': (text) =>
        text.replace('<sst ', '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst ').replace('<t>T-1</t>', '<t>&xxe;</t>'),
    });

    expect((await readError(file)).message).toBe(
      `request file ${file}: the workbook's part xl/sharedStrings.xml declares a DOCTYPE, which no Excel file does; it is refused`,
    );
  });
});

describe('the limits of an .xlsx file (a zip bomb, a table too large to hold)', () => {
  async function readWithLimits(file: string, limits: Partial<XlsxLimits>): Promise<unknown> {
    const handle = await open(file, 'r');
    try {
      const outcomes: ReadOutcome[] = [];
      for await (const outcome of readWorkbookRequests(file, handle, {}, { ...XLSX_LIMITS, ...limits })) outcomes.push(outcome);
      return outcomes;
    } catch (error) {
      return error;
    } finally {
      await handle.close();
    }
  }

  test.each([
    [{ uncompressedBytes: 4096 }, 'inflates to more than 4 KiB, the most an .xlsx request file may hold (a zip bomb?); it is refused'],
    [{ entries: 3 }, 'holds more than 3 parts, the most an .xlsx request file may hold; it is refused'],
    [{ sharedStringsBytes: 100 }, 'its part xl/sharedStrings.xml inflates to more than 0.1 KiB, the most this tool reads; save the sheet as "CSV UTF-8"'],
    [{ xmlNodeChars: 100 }, 'holds an XML node longer than 100 characters; it is refused'],
  ] as const)('%j', async (limits, message) => {
    const file = await writeWorkbook(directory.path('limits.xlsx'), (workbook) => {
      requestsSheet(workbook);
      workbook.getWorksheet('Demandes')!.addRow(['T-3', `${'x'.repeat(200)}@example.com`]);
    });

    const error = await readWithLimits(file, limits);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(message);
  });

  test('within the limits, the same file reads', async () => {
    const file = await writeWorkbook(directory.path('within.xlsx'), requestsSheet);

    expect(await readWithLimits(file, {})).toHaveLength(2);
  });
});

describe('the sheet is streamed', () => {
  test('its rows are handed over in batches as the sheet inflates, not once it is all read', async () => {
    const file = await writeWorkbook(directory.path('long.xlsx'), (workbook) => {
      const sheet = workbook.addWorksheet('S');
      sheet.addRow(['request_id', 'email']);
      for (let index = 1; index <= 20_000; index++) sheet.addRow([`R-${index}`, `person${index}@example.com`]);
    });
    const handle = await open(file, 'r');
    try {
      const sheet = await openWorksheet(handle, undefined, XLSX_LIMITS);
      const batches: number[] = [];
      for await (const rows of sheet.rows()) batches.push(rows.length);

      expect(batches.reduce((total, size) => total + size, 0)).toBe(20_000);
      expect(batches.length).toBeGreaterThan(10);
      expect(Math.max(...batches)).toBeLessThan(5_000);
    } finally {
      await handle.close();
    }
  });
});
