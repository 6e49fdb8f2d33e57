import { describe, expect, test } from '@jest/globals';
import type { TextChecker } from '../../src/requests/textChecker.js';
import { encodingOfByteOrderMark, textEncodingNamed, type TextEncoding } from '../../src/requests/textEncoding.js';
import { transcodeToUtf8 } from '../../src/requests/transcodeToUtf8.js';
import { Utf16Checker } from '../../src/requests/utf16Checker.js';
import { Utf8Checker } from '../../src/requests/utf8Checker.js';
import { Windows1252Checker } from '../../src/requests/windows1252Checker.js';
import { utf16, windows1252 } from '../helpers/encodedText.js';

/** The bytes fed in two chunks split at `at`, then ended; the line of the first bad byte. */
function firstBadLine(checker: TextChecker, bytes: Buffer, at = bytes.length): number | undefined {
  checker.push(bytes.subarray(0, at));
  checker.push(bytes.subarray(at));
  checker.end();
  return checker.firstBadLine;
}

/** Every way to cut the bytes in two. */
const splits = (bytes: Buffer) => Array.from({ length: bytes.length + 1 }, (_, at) => at);

async function transcoded(bytes: Buffer, encoding: TextEncoding, at: number): Promise<string> {
  async function* twoChunks() {
    yield bytes.subarray(0, at);
    yield bytes.subarray(at);
  }
  const out: Buffer[] = [];
  for await (const chunk of transcodeToUtf8(twoChunks(), encoding)) out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

const TEXT = 'Zoé Lefranc-Aubry\r\nŒuvre “€” 𝄞 Chloé\n';

describe('Utf8Checker', () => {
  test('UTF-8 text passes however it is cut into chunks, a character of 2, 3 or 4 bytes split included', () => {
    const bytes = Buffer.from(TEXT, 'utf8');
    for (const at of splits(bytes)) expect(firstBadLine(new Utf8Checker(), bytes, at)).toBeUndefined();
  });

  test('the line of the first bad byte, wherever the chunks are cut', () => {
    const bytes = Buffer.concat([Buffer.from('a\nb\nc\nd\ne\nf\nZo'), Buffer.from([0xe9]), Buffer.from('\nnext\n'), Buffer.from([0xff])]);
    for (const at of splits(bytes)) expect(firstBadLine(new Utf8Checker(), bytes, at)).toBe(7);
  });

  test.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an overlong 3-byte form', [0xe0, 0x80, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lead byte cut by a line end', [0xc3, 0x0a]],
    ['0xFF', [0xff]],
  ])('%s is bad', (_name, bad) => {
    const bytes = Buffer.concat([Buffer.from('ok\n'), Buffer.from(bad), Buffer.from('\nmore\n')]);
    for (const at of splits(bytes)) expect(firstBadLine(new Utf8Checker(), bytes, at)).toBe(2);
  });

  test('a character cut by the end of the file is bad, on its line', () => {
    expect(firstBadLine(new Utf8Checker(), Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]))).toBe(2);
  });

  test('tells whether a character of several bytes came before the first bad byte', () => {
    const damaged = new Utf8Checker();
    firstBadLine(damaged, Buffer.concat([Buffer.from('Zoé\n', 'utf8'), Buffer.from([0xe9])]));
    const windows = new Utf8Checker();
    firstBadLine(windows, Buffer.concat([Buffer.from('Zo'), Buffer.from([0xe9]), Buffer.from('é', 'utf8')]));

    expect(damaged.sawMultibyte).toBe(true);
    expect(windows.firstBadLine).toBe(1);
    expect(windows.sawMultibyte).toBe(false);
  });
});

describe('Utf16Checker', () => {
  test.each(['le', 'be'] as const)('UTF-16%s text passes however it is cut, a code unit or a surrogate pair split included', (order) => {
    const bytes = utf16(`\uFEFF${TEXT}`, order);
    for (const at of splits(bytes)) expect(firstBadLine(new Utf16Checker(`utf-16${order}`), bytes, at)).toBeUndefined();
  });

  test.each([
    ['a lone high surrogate', 'a\nb\n\uD834x\n'],
    ['a lone low surrogate', 'a\nb\n\uDD1E\n'],
    ['a high surrogate at the end', 'a\nb\nc\uD834'],
  ])('%s is bad, on its line', (_name, text) => {
    const bytes = utf16(text, 'le');
    for (const at of splits(bytes)) expect(firstBadLine(new Utf16Checker('utf-16le'), bytes, at)).toBe(3);
  });

  test('an odd byte at the end is bad', () => {
    expect(firstBadLine(new Utf16Checker('utf-16be'), Buffer.concat([utf16('a\nb', 'be'), Buffer.from([0x00])]))).toBe(2);
  });
});

describe('Windows1252Checker', () => {
  test('text of the code page passes: accents, quotes, the euro sign, tabs and CRLF', () => {
    expect(firstBadLine(new Windows1252Checker(), windows1252('Zoé\t“Œuvre” 12 €\r\nFrançois Škoda'))).toBeUndefined();
  });

  test.each([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x00, 0x01, 0x0b, 0x1b, 0x7f].map((byte) => [`0x${byte.toString(16)}`, byte] as const))(
    'byte %s is not Windows-1252 text',
    (_name, byte) => {
      expect(firstBadLine(new Windows1252Checker(), Buffer.concat([windows1252('Zoé\n'), Buffer.from([byte])]))).toBe(2);
    },
  );
});

describe('transcodeToUtf8', () => {
  test.each([
    ['windows-1252', windows1252('Zoé “Œuvre” 12 €\r\n')],
    ['utf-16le', utf16(`\uFEFF${TEXT}`, 'le')],
    ['utf-16be', utf16(`\uFEFF${TEXT}`, 'be')],
  ] as const)('%s becomes UTF-8 without its byte order mark, however it is cut', async (encoding, bytes) => {
    const expected = encoding === 'windows-1252' ? 'Zoé “Œuvre” 12 €\r\n' : TEXT;
    for (const at of splits(bytes)) expect(await transcoded(bytes, encoding, at)).toBe(expected);
  });

  test('UTF-8 passes through untouched, its byte order mark included (the readers drop it)', async () => {
    const bytes = Buffer.from(`\uFEFF${TEXT}`, 'utf8');
    expect(await transcoded(bytes, 'utf-8', 5)).toBe(`\uFEFF${TEXT}`);
  });
});

describe('encoding names and byte order marks', () => {
  test.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['windows-1252', 'windows-1252'],
    ['CP1252', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['Latin-1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['utf-16le', 'utf-16le'],
    ['UTF16BE', 'utf-16be'],
  ])('%s is %s', (name, encoding) => expect(textEncodingNamed(name)).toBe(encoding));

  test.each(['utf-16', 'ascii', 'ebcdic', ''])('"%s" is not a name we take', (name) => expect(textEncodingNamed(name)).toBeUndefined());

  test('the byte order marks of UTF-8, UTF-16LE and UTF-16BE; none', () => {
    expect(encodingOfByteOrderMark(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8');
    expect(encodingOfByteOrderMark(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe('utf-16le');
    expect(encodingOfByteOrderMark(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe('utf-16be');
    expect(encodingOfByteOrderMark(Buffer.from('email\n'))).toBeUndefined();
    expect(encodingOfByteOrderMark(Buffer.alloc(0))).toBeUndefined();
  });
});
