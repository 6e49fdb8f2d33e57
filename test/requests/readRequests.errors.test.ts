import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readRequests } from '../../src/requests/readRequests.js';
import { RequestFileError } from '../../src/requests/requestFileError.js';
import { sha256OfFile } from '../../src/requests/sha256OfFile.js';
import { createTempDirectory, readAll, rejected, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

async function readError(file: string): Promise<RequestFileError> {
  const error = await readAll(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RequestFileError);
  return error as RequestFileError;
}

describe('CSV syntax errors', () => {
  test('an unclosed quote: the row is rejected at the line it starts on, naming the lines to the end, and reading stops there', async () => {
    const file = await writeRequestFile(
      directory.path('unclosed.csv'),
      'request_id;email;search\nA;a@example.com;\n\nB;b@example.com;"Jean\nDupont\nC;c@example.com;\n',
    );

    expect(await readAll(file)).toEqual([
      request('A', file, 2, { emails: ['a@example.com'] }),
      rejected('B', file, 4, [
        { line: 4, reason: 'the row is not valid CSV: a quote is never closed; lines 4-6, to the end of the file, are not read as rows' },
      ]),
    ]);
  });

  test('a quote inside an unquoted value rejects that row and reading goes on', async () => {
    const file = await writeRequestFile(
      directory.path('stray-quote.csv'),
      'request_id,email,search\nA,a@example.com,\nB,b@example.com,Jean "Jo" Dupont\nA,a2@example.com,\nC,c@example.com,\n',
    );

    expect(await readAll(file)).toEqual([
      rejected('B', file, 3, [{ line: 3, reason: 'the row is not valid CSV: a quote inside a value that does not start with a quote' }]),
      request('A', file, 2, { emails: ['a@example.com', 'a2@example.com'] }),
      request('C', file, 5, { emails: ['c@example.com'] }),
    ]);
  });

  test('a row that cannot be read still rejects its whole request when its request_id comes before the error', async () => {
    const file = await writeRequestFile(
      directory.path('stray-quote-merged.csv'),
      'request_id,email,search\nM,m@example.com,\n\nM,m2@example.com,Jean "Jo"\nM,m3@example.com,\n',
    );

    expect(await readAll(file)).toEqual([
      rejected('M', file, 2, [{ line: 4, reason: 'the row is not valid CSV: a quote inside a value that does not start with a quote' }]),
    ]);
  });

  test('a closing quote followed by text stops reading: the rows it may have swallowed are not guessed at', async () => {
    const file = await writeRequestFile(
      directory.path('closing-quote.csv'),
      'request_id,email,search\nA,a@example.com,\nB,b@example.com,"Jean" Dupont\nC,c@example.com,\nD,d@example.com,"x"\n',
    );

    expect(await readAll(file)).toEqual([
      request('A', file, 2, { emails: ['a@example.com'] }),
      rejected('B', file, 3, [
        {
          line: 3,
          reason:
            'the row is not valid CSV: a closing quote is followed by more text instead of a delimiter; lines 3-5, to the end of the file, are not read as rows',
        },
      ]),
    ]);
  });

  test('a row longer than 64 KiB is rejected, and reading goes on at the next line', async () => {
    const file = await writeRequestFile(
      directory.path('long-row.csv'),
      `request_id,email,search\nA,a@example.com,\nB,b@example.com,"${'x'.repeat(70_000)}"\nC,c@example.com,\n`,
    );

    expect(await readAll(file)).toEqual([
      request('A', file, 2, { emails: ['a@example.com'] }),
      rejected('B', file, 3, [{ line: 3, reason: 'the row is longer than 64 KiB' }]),
      request('C', file, 4, { emails: ['c@example.com'] }),
    ]);
  });

  test('a row with more fields than the header line has is rejected, even when they are empty', async () => {
    const file = await writeRequestFile(directory.path('extra-field.csv'), 'email;search\na@example.com;Jean;Dupont\nb@example.com;;;\nc@example.com;\n');

    expect(await readAll(file)).toEqual([
      rejected('extra-field.csv:L2', file, 2, [
        { line: 2, reason: 'the row has 3 fields where the header line has 2 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
      ]),
      rejected('extra-field.csv:L3', file, 3, [
        { line: 3, reason: 'the row has 4 fields where the header line has 2 (a row written with another delimiter, or a delimiter in an unquoted value?)' },
      ]),
      request('extra-field.csv:L4', file, 4, { emails: ['c@example.com'] }),
    ]);
  });

  test('a header line that cannot be read makes the file unusable', async () => {
    const file = await writeRequestFile(directory.path('bad-header.csv'), 'email,se"arch\na@example.com,x\n');

    const error = await readError(file);

    expect(error.code).toBe('unsupported_format');
    expect(error.message).toBe(`request file ${file}: the header line cannot be read as CSV (INVALID_OPENING_QUOTE)`);
  });

  test('a header line naming no known column makes the file unusable (a missing header, usually)', async () => {
    const file = await writeRequestFile(directory.path('no-header.csv'), 'a@example.com;Jean Dupont\nb@example.com;Marie Curie\n');

    const error = await readError(file);

    expect(error.code).toBe('unsupported_format');
    expect(error.message).toContain('the header line names no known column');
    expect(error.message).not.toContain('example.com');
    expect(error.message).not.toContain('Dupont');
  });
});

describe('JSON and NDJSON syntax errors', () => {
  test('JSON: an element that is not valid JSON is rejected and reading goes on', async () => {
    const file = await writeRequestFile(
      directory.path('bad-element.json'),
      '[\n{"email": "a@example.com"},\n{"email": "b@example.com",},\n{"email": "c@example.com"}\n]\n',
    );

    const outcomes = await readAll(file);

    expect(outcomes).toEqual([
      request('bad-element.json:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('bad-element.json:L3', file, 3, [{ line: 3, reason: 'the element is not valid JSON' }]),
      request('bad-element.json:L4', file, 4, { emails: ['c@example.com'] }),
    ]);
  });

  test('JSON: a missing comma between elements stops reading there', async () => {
    const file = await writeRequestFile(
      directory.path('missing-comma.json'),
      '[\n{"email": "a@example.com"}\n{"email": "b@example.com"},\n{"email": "c@example.com"}\n]\n',
    );

    expect(await readAll(file)).toEqual([
      request('missing-comma.json:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('missing-comma.json:L3', file, 3, [
        {
          line: 3,
          reason: 'the file is not valid JSON here: a comma or "]" is missing after the previous element; the rest of the file was not read',
        },
      ]),
    ]);
  });

  test('JSON: a file cut inside an element is reported at the line the element starts on', async () => {
    const file = await writeRequestFile(directory.path('truncated.json'), '[\n{"email": "a@example.com"},\n{"email": "b@exa');

    expect(await readAll(file)).toEqual([
      request('truncated.json:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('truncated.json:L3', file, 3, [
        { line: 3, reason: 'the file is not valid JSON here: the file ends inside this element; the rest of the file was not read' },
      ]),
    ]);
  });

  test('JSON: a file cut before its closing "]" is reported', async () => {
    const file = await writeRequestFile(directory.path('no-closing.json'), '[\n{"email": "a@example.com"},\n');

    expect(await readAll(file)).toEqual([
      request('no-closing.json:L2', file, 2, { emails: ['a@example.com'] }),
      rejected('no-closing.json:L3', file, 3, [
        { line: 3, reason: 'the file is not valid JSON here: the file ends before the closing "]" of the array; the rest of the file was not read' },
      ]),
    ]);
  });

  test('JSON: a file that is one object, not an array, is unusable', async () => {
    const file = await writeRequestFile(directory.path('object.json'), '{"requests": [{"email": "a@example.com"}]}');

    const error = await readError(file);

    expect(error.code).toBe('unsupported_format');
    expect(error.message).toBe(`request file ${file}: a .json request file must hold an array of objects ("[" first); use .ndjson for one object a line`);
  });

  test('NDJSON: a bad line is rejected with its line, blank lines are skipped, reading goes on', async () => {
    const file = await writeRequestFile(
      directory.path('bad-line.ndjson'),
      '{"email": "a@example.com"}\r\n{"email": b@example.com}\r\n\r\n   \n{"email": "c@example.com"}\n["d@example.com"]\n',
    );

    expect(await readAll(file)).toEqual([
      request('bad-line.ndjson:L1', file, 1, { emails: ['a@example.com'] }),
      rejected('bad-line.ndjson:L2', file, 2, [{ line: 2, reason: 'the line is not valid JSON' }]),
      request('bad-line.ndjson:L5', file, 5, { emails: ['c@example.com'] }),
      rejected('bad-line.ndjson:L6', file, 6, [{ line: 6, reason: 'the line is not a JSON object' }]),
    ]);
  });
});

describe('files that cannot be used at all', () => {
  test('a missing file: the error names the file and the reason', async () => {
    const file = directory.path('missing.csv');

    const error = await readError(file);

    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`request file ${file}: cannot be read (ENOENT)`);
  });

  test('a directory given as a file', async () => {
    const path = directory.path('a-directory.csv');
    await mkdir(path);

    const error = await readError(path);

    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`request file ${path}: cannot be read (EISDIR)`);
  });

  test('a spreadsheet in a format other than .xlsx is refused with what to do (.xlsx: readRequests.xlsx.test.ts)', async () => {
    const file = await writeRequestFile(directory.path('requests.ods'), Buffer.from('PK\u0003\u0004 not really a zip'));

    const error = await readError(file);

    expect(error.message).toBe(
      `request file ${file}: is a spreadsheet in a format this tool does not read; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"`,
    );
  });

  test('a binary file (NUL bytes, no byte order mark) is refused; UTF-16 with one is read (readRequests.encodings.test.ts)', async () => {
    const file = await writeRequestFile(directory.path('binary.csv'), Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0x00, 0x01, 0x02, 0x0a]));

    const error = await readError(file);

    expect(error.code).toBe('unsupported_format');
    expect(error.message).toContain('is not text: it holds NUL bytes');
  });
});

describe('a file that changes while it is read', () => {
  test('bytes added between the two passes are detected', async () => {
    const file = await writeRequestFile(directory.path('grows.csv'), 'email,notes\na@example.com,x\n');

    // onUnknownColumns runs between the passes: the one moment to change the file from outside
    const reading = readAll(file, { onUnknownColumns: () => appendFileSync(file, 'b@example.com,y\n') });

    await expect(reading).rejects.toThrow(
      new RequestFileError(file, 'changed_while_reading', 'the file changed while being read; run again once it is complete'),
    );
  });

  test('a file whose SHA-256 is not the one the run recorded is refused before any request', async () => {
    const file = await writeRequestFile(directory.path('replaced.csv'), 'email\na@example.com\n');
    const recorded = await sha256OfFile(file);
    await writeRequestFile(file, 'email\nb@example.com\n');

    const outcomes = readRequests(file, { expectedSha256: recorded });

    await expect(outcomes.next()).rejects.toThrow(
      new RequestFileError(file, 'changed_while_reading', 'the file changed while being read; run again once it is complete'),
    );
    const readAgain = await readAll(file, { expectedSha256: await sha256OfFile(file) });
    expect(readAgain.map((outcome) => (outcome.kind === 'request' ? outcome.request.emails : outcome.kind))).toEqual([['b@example.com']]);
  });

  test('bytes rewritten in place while pass 2 reads are detected at the end of the file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => `person${index}@example.com`);
    const file = await writeRequestFile(directory.path('rewritten.csv'), `email\n${rows.join('\n')}\n`);
    const outcomes = readRequests(file);

    const first = await outcomes.next();
    // same length, so only the digest can tell
    const handle = await open(file, 'r+');
    await handle.write('PERSON', (await handle.stat()).size - 'person19999@example.com\n'.length);
    await handle.close();
    const rest = (async () => {
      for await (const _ of outcomes) {
        // drain
      }
    })();

    expect(first.done).toBe(false);
    await expect(rest).rejects.toThrow('the file changed while being read');
  });

  test('sha256OfFile gives the hex SHA-256 of the bytes', async () => {
    const content = `email\n${'a@example.com\n'.repeat(10_000)}`;
    const file = await writeRequestFile(directory.path('digest.csv'), content);

    expect(await sha256OfFile(file)).toBe(createHash('sha256').update(content).digest('hex'));
  });

  test('sha256OfFile names the file when it cannot be read', async () => {
    const file = directory.path('no-such-file.csv');

    await expect(sha256OfFile(file)).rejects.toThrow(`request file ${file}: cannot be read (ENOENT)`);
  });
});
