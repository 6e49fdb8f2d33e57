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

const SPREADSHEET_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.xls', '.ods', '.numbers']);

/**
 * The format of a request file, from its extension, else from its first non-blank byte
 * (`[` JSON array, `{` NDJSON, anything else CSV). `head` is the file's first bytes.
 */
export function detectFileFormat(file: string, head: Buffer): FileFormat {
  const extension = extname(file).toLowerCase();
  if (SPREADSHEET_EXTENSIONS.has(extension)) {
    throw new FileFormatError('is a spreadsheet, not a text file; save it as "CSV UTF-8"');
  }
  // UTF-16 ("Unicode text" from Excel) and binary files hold NUL bytes; UTF-8 text never does.
  if (head.includes(0)) {
    throw new FileFormatError('is not UTF-8 text (it holds NUL bytes: UTF-16 or binary?); save it as "CSV UTF-8"');
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
