/** The encodings a request file is read in; the format readers get every other one transcoded to UTF-8. */
export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'];

// latin1 and ISO-8859-1 are what people call the Windows code page; WHATWG's TextDecoder reads them as windows-1252 too.
const ENCODING_BY_NAME: ReadonlyMap<string, TextEncoding> = new Map([
  ['utf8', 'utf-8'],
  ['windows1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['iso88591', 'windows-1252'],
  ['utf16le', 'utf-16le'],
  ['utf16be', 'utf-16be'],
]);

/** The encoding a name means (case, `-` and `_` ignored: "UTF8", "cp1252", "latin-1"), or undefined. */
export function textEncodingNamed(name: string): TextEncoding | undefined {
  return ENCODING_BY_NAME.get(name.trim().toLowerCase().replace(/[-_]/g, ''));
}

/** The encoding a byte order mark at the start of the file names, if it starts with one. */
export function encodingOfByteOrderMark(head: Buffer): TextEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The first bytes of the file as UTF-8, for the format and delimiter to be detected from; a character cut at the end is replaced. */
export function headAsUtf8(head: Buffer, encoding: TextEncoding): Buffer {
  return encoding === 'utf-8' ? head : Buffer.from(new TextDecoder(encoding).decode(head), 'utf8');
}
