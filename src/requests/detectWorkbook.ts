import { extname } from 'node:path';
import { FileFormatError } from './requestFileError.js';
import { MACRO_ENABLED_REASON } from './xlsx/openXlsxPackage.js';

// What an OLE compound file (CFB) starts with: Excel 97-2003's .xls, and any password-protected Office file
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MACRO_ENABLED_EXTENSIONS = new Set(['.xlsm', '.xltm', '.xlam']);
// zips too, but not of worksheets in XML: detectFileFormat refuses them by name
const OTHER_SPREADSHEETS = new Set(['.xlsb', '.ods', '.numbers']);

/**
 * Whether a request file is an .xlsx workbook: by its name, or, named otherwise, by the zip it is.
 * Throws FileFormatError for a workbook that is refused before being opened: macro-enabled by its
 * name, or an OLE file, which an encrypted workbook is as much as an old .xls (which, cannot be told
 * without decrypting). `head` is the file's first bytes, as read.
 */
export function isWorkbook(file: string, head: Buffer): boolean {
  const extension = extname(file).toLowerCase();
  if (startsWith(head, OLE_SIGNATURE)) {
    throw new FileFormatError(
      'is an OLE compound file: a password-protected (encrypted) Excel workbook, or an old Excel 97-2003 .xls; ' +
        'remove the password and save it as "Excel Workbook (.xlsx)", or save it as "CSV UTF-8"',
    );
  }
  if (MACRO_ENABLED_EXTENSIONS.has(extension)) throw new FileFormatError(MACRO_ENABLED_REASON);
  if (OTHER_SPREADSHEETS.has(extension)) return false;
  const zip = startsWith(head, ZIP_SIGNATURE);
  if (extension === '.xlsx' && !zip) {
    throw new FileFormatError('is named .xlsx but is not an Excel workbook (it is not a zip file); save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"');
  }
  return zip;
}

function startsWith(head: Buffer, signature: Buffer): boolean {
  return head.length >= signature.length && head.subarray(0, signature.length).equals(signature);
}
