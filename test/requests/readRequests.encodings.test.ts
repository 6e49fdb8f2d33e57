import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CHUNK_SIZE } from '../../src/requests/hashedFileReader.js';
import type { ReadRequestsOptions } from '../../src/requests/readRequests.js';
import { RequestFileError } from '../../src/requests/requestFileError.js';
import type { RequestFileWarning } from '../../src/requests/requestFileWarning.js';
import { utf16, windows1252 } from '../helpers/encodedText.js';
import { createTempDirectory, readAll, request, writeRequestFile } from './requestFiles.js';

let directory: Awaited<ReturnType<typeof createTempDirectory>>;
beforeAll(async () => {
  directory = await createTempDirectory();
});
afterAll(async () => {
  await directory.remove();
});

const CSV = 'request_id;E-mail;Nom\r\nR1;zoe@example.org;Zoé Lefranc-Aubry\r\nR2;francois@example.org;François Œuvray\r\n';
const EXPECTED = (file: string) => [
  request('R1', file, 2, { emails: ['zoe@example.org'], searches: ['Zoé Lefranc-Aubry'] }),
  request('R2', file, 3, { emails: ['francois@example.org'], searches: ['François Œuvray'] }),
];

/** Reads the file, collecting the warnings; the error, if the file is refused. */
async function read(name: string, bytes: Buffer, options: ReadRequestsOptions = {}) {
  const file = await writeRequestFile(directory.path(name), bytes);
  const warnings: RequestFileWarning[] = [];
  // expectedSha256: pass 1 and the check against what a run recorded hash the raw bytes, not the text
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const outcomes = await readAll(file, { ...options, expectedSha256: sha256, onWarning: (warning) => warnings.push(warning) }).catch((error: unknown) => error);
  return { file, outcomes, warnings };
}

describe('encodings read correctly', () => {
  test.each([
    ['UTF-8', Buffer.from(CSV, 'utf8')],
    ['UTF-8 with a byte order mark', Buffer.from(`\uFEFF${CSV}`, 'utf8')],
    ['UTF-16LE with a byte order mark', utf16(`\uFEFF${CSV}`, 'le')],
    ['UTF-16BE with a byte order mark', utf16(`\uFEFF${CSV}`, 'be')],
  ])('%s, without a warning', async (name, bytes) => {
    const { file, outcomes, warnings } = await read(`${name.replace(/\W+/g, '-')}.csv`, bytes);

    expect(outcomes).toEqual(EXPECTED(file));
    expect(warnings).toEqual([]);
  });

  test('UTF-16 as JSON and NDJSON too', async () => {
    const json = await read('utf16.json', utf16('\uFEFF[{"email": "zoe@example.org", "nom": "Zoé"}]', 'le'));
    const ndjson = await read('utf16.ndjson', utf16('\uFEFF{"email": "zoe@example.org", "nom": "Zoé"}\n', 'be'));

    expect(json.outcomes).toEqual([request('utf16.json:L1', json.file, 1, { emails: ['zoe@example.org'], searches: ['Zoé'] })]);
    expect(ndjson.outcomes).toEqual([request('utf16.ndjson:L1', ndjson.file, 1, { emails: ['zoe@example.org'], searches: ['Zoé'] })]);
  });

  test('Windows-1252 (a ";" CSV saved by Excel on Windows) is read as such, with one warning naming the file and the first line that is not UTF-8', async () => {
    const { file, outcomes, warnings } = await read('excel.csv', windows1252(CSV));

    expect(outcomes).toEqual(EXPECTED(file));
    expect(warnings).toEqual([{ file, line: 2, message: 'the file is not UTF-8 from this line on; it is read as Windows-1252 (--encoding chooses)' }]);
  });

  test('in Windows-1252, the rows of a request_id with an accent merge as one request: pass 1 read them decoded too', async () => {
    const { file, outcomes } = await read('merged.csv', windows1252('request_id;email\r\nDÉ-1;a@example.org\r\nAUTRE;c@example.org\r\nDÉ-1;b@example.org\r\n'));

    expect(outcomes).toEqual([
      request('AUTRE', file, 3, { emails: ['c@example.org'] }),
      request('DÉ-1', file, 2, { emails: ['a@example.org', 'b@example.org'] }),
    ]);
  });

  test('a UTF-16 file without a byte order mark is read with the encoding given', async () => {
    const { file, outcomes } = await read('no-bom.csv', utf16(CSV, 'le'), { encoding: 'utf-16le' });

    expect(outcomes).toEqual(EXPECTED(file));
  });

  test('--encoding windows-1252 is obeyed even for a file that is valid UTF-8', async () => {
    const { file, outcomes, warnings } = await read('forced.csv', Buffer.from('email;nom\r\nzoe@example.org;Zoé\r\n', 'utf8'), { encoding: 'windows-1252' });

    expect(outcomes).toEqual([request('forced.csv:L2', file, 2, { emails: ['zoe@example.org'], searches: ['ZoÃ©'] })]);
    expect(warnings).toEqual([]);
  });
});

describe('characters split between two chunks', () => {
  /** A one-row CSV whose `nom` ends with `name`, its first byte `before` bytes before the end of the first chunk. */
  function straddling(name: string, before: number, encode: (text: string) => Buffer, unitBytes: number): Buffer {
    const row = (padding: number) => `email,nom\na@example.org,${'p'.repeat(padding)}`;
    const padding = (CHUNK_SIZE - before - encode(row(0)).length) / unitBytes;
    const bytes = encode(`${row(padding)}${name}\n`);
    expect(bytes.indexOf(encode(name).subarray(unitBytes === 2 && bytes[0] === 0xff ? 2 : 0))).toBe(CHUNK_SIZE - before);
    return bytes;
  }

  const lastSearch = (outcomes: unknown) => (outcomes as { request: { searches: string[] } }[]).at(-1)?.request.searches[0];

  test.each([1, 2, 3])('UTF-8: a 4-byte character starting %d byte(s) before the end of a chunk', async (before) => {
    const { outcomes } = await read(
      `utf8-split-${before}.csv`,
      straddling('𝄞 Zoé', before, (text) => Buffer.from(text, 'utf8'), 1),
    );

    expect(lastSearch(outcomes)).toMatch(/^p+𝄞 Zoé$/u);
  });

  test('UTF-16LE: a surrogate pair cut between its two units', async () => {
    const { outcomes } = await read(
      'utf16-split.csv',
      straddling('𝄞 Zoé', 2, (text) => utf16(`\uFEFF${text}`, 'le'), 2),
    );

    expect(lastSearch(outcomes)).toMatch(/^p+𝄞 Zoé$/u);
  });

  test('Windows-1252 read after a first chunk that was all ASCII', async () => {
    const { outcomes, warnings } = await read('late-accent.csv', straddling('Zoé', 0, windows1252, 1));

    expect(lastSearch(outcomes)).toMatch(/^p+Zoé$/u);
    expect(warnings.map((warning) => warning.message)).toHaveLength(1);
  });
});

describe('files refused', () => {
  async function refusal(name: string, bytes: Buffer, options: ReadRequestsOptions = {}): Promise<RequestFileError> {
    const { outcomes } = await read(name, bytes, options);
    expect(outcomes).toBeInstanceOf(RequestFileError);
    return outcomes as RequestFileError;
  }

  const rows = (count: number) => Array.from({ length: count }, (_, index) => `R${index};r${index}@example.org;Name ${index}\r\n`).join('');

  test('not UTF-8, and not Windows-1252 either (0x81): refused, naming the file and the line of the first bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from(`request_id;email;nom\r\n${rows(5)}R6;zoe@example.org;Zo`), Buffer.from([0xe9, 0x81]), Buffer.from('\r\n')]);

    const error = await refusal('not-text.csv', bytes);

    expect(error.code).toBe('unsupported_format');
    expect(error.message).toBe(
      `request file ${error.file}: line 7 is not valid UTF-8 and the file is not Windows-1252 either; save it as "CSV UTF-8" or pass --encoding`,
    );
  });

  test('the line of the first bad byte counts the lines of earlier chunks', async () => {
    const early = rows(1000);
    expect(Buffer.byteLength(early)).toBeGreaterThan(2 * CHUNK_SIZE);
    const bytes = Buffer.concat([Buffer.from(`request_id;email;nom\r\n${early}`), Buffer.from([0x8f]), Buffer.from('\r\n')]);

    expect((await refusal('late.csv', bytes)).message).toContain(': line 1002 is not valid UTF-8');
  });

  test('a control character makes a file not Windows-1252 text', async () => {
    const bytes = Buffer.concat([windows1252('email;nom\r\nzoe@example.org;Zoé'), Buffer.from([0x01]), Buffer.from('\r\n')]);

    expect((await refusal('control.csv', bytes)).message).toContain(': line 2 is not valid UTF-8 and the file is not Windows-1252 either');
  });

  test('UTF-8 up to a bad byte is damaged UTF-8, not Windows-1252: refused rather than read as "Ã©"', async () => {
    const bytes = Buffer.concat([Buffer.from('email;nom\r\nzoe@example.org;Zoé\r\nx@example.org;Fran', 'utf8'), Buffer.from([0xe7]), Buffer.from('ois\r\n')]);

    expect((await refusal('damaged.csv', bytes)).message).toContain(': line 3 is not valid UTF-8 and the file is not Windows-1252 either');
  });

  test('a file with a UTF-8 byte order mark is not taken for Windows-1252', async () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFFemail;nom\r\nzoe@example.org;Zo', 'utf8'), Buffer.from([0xe9]), Buffer.from('\r\n')]);

    expect((await refusal('bom-then-latin.csv', bytes)).message).toContain(': line 2 is not valid UTF-8');
  });

  test('--encoding utf-8 refuses a Windows-1252 file instead of falling back', async () => {
    const error = await refusal('strict.csv', windows1252(CSV), { encoding: 'utf-8' });

    expect(error.message).toBe(`request file ${error.file}: line 2 is not valid UTF-8`);
  });

  test('UTF-16 with a lone surrogate is refused on its line', async () => {
    const error = await refusal('bad-utf16.csv', utf16('\uFEFFemail;nom\r\nzoe@example.org;Zo\uD800\r\n', 'le'));

    expect(error.message).toBe(`request file ${error.file}: line 2 is not valid UTF-16LE`);
  });

  test('NUL bytes without a byte order mark: binary, or UTF-16 that does not say so', async () => {
    const error = await refusal('no-bom-utf16.csv', utf16(CSV, 'be'));

    expect(error.message).toBe(
      `request file ${error.file}: is not text: it holds NUL bytes (binary, or UTF-16 without a byte order mark: pass --encoding utf-16le or utf-16be); save it as "CSV UTF-8"`,
    );
  });
});
