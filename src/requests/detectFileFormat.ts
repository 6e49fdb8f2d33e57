import { extname } from 'node:path';
import { FileFormatError } from './requestFileError.js';

export type FileFormat = 'csv' | 'json' | 'ndjson';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, FileFormat> = new Map([
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.txt', 'csv'],
  ['.json', 'json'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
]);

// .xlsx is read (detectWorkbook.ts), before a text format is looked for
const SPREADSHEET_EXTENSIONS = new Set(['.xls', '.xlsb', '.ods', '.numbers']);

/**
 * The format of a request file, from its extension, else from its first non-blank byte
 * (`[` JSON array, `{` NDJSON, anything else CSV). `head` is the file's first bytes, as UTF-8.
 */
export function detectFileFormat(file: string, head: Buffer): FileFormat {
  const extension = extname(file).toLowerCase();
  if (SPREADSHEET_EXTENSIONS.has(extension)) {
    throw new FileFormatError('is a spreadsheet in a format this tool does not read; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"');
  }
  // Binary files hold NUL bytes; text never does, once a UTF-16 file (named by its byte order mark or --encoding) is decoded.
  if (head.includes(0)) {
    throw new FileFormatError(
      'is not text: it holds NUL bytes (binary, or UTF-16 without a byte order mark: pass --encoding utf-16le or utf-16be); save it as "CSV UTF-8"',
    );
  }
  const first = firstNonBlankCharacter(head);
  const byExtension = FORMAT_BY_EXTENSION.get(extension);
  if (byExtension === 'json' && first !== undefined && first !== '[') {
    throw new FileFormatError('a .json request file must hold an array of objects ("[" first); use .ndjson for one object a line');
  }
  if (byExtension !== undefined) return byExtension;
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return 'csv';
}

function firstNonBlankCharacter(head: Buffer): string | undefined {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return /\S/.exec(text)?.[0];
}
