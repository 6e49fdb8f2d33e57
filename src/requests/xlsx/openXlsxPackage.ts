import type { FileHandle } from 'node:fs/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FileFormatError } from '../requestFileError.js';
import { mebibytes, type XlsxLimits } from './xlsxLimits.js';

const DAMAGED = 'is not a readable .xlsx workbook (its zip structure is damaged); open it in Excel and save it again, or save it as "CSV UTF-8"';
const MACROS = 'is a macro-enabled workbook (it holds a VBA project): it is refused, as macros are code; save it as "Excel Workbook (.xlsx)" or "CSV UTF-8"';

/** An .xlsx file's zip, its parts listed and checked, each part read on demand (the zip's central directory allows any order). */
export interface XlsxPackage {
  has(part: string): boolean;
  /** The part's bytes as they inflate, at most `maxBytes` of them. */
  stream(part: string, maxBytes: number): AsyncGenerator<Buffer>;
}

/**
 * Opens the zip of an .xlsx file and refuses, before reading any part: more parts, or more inflated
 * bytes, than the limits allow (a zip bomb), an encrypted part, and a VBA project (macros).
 * The handle stays the caller's: yauzl is never asked to close, as it would close the handle's fd.
 */
export async function openXlsxPackage(handle: FileHandle, limits: XlsxLimits): Promise<XlsxPackage> {
  let zip: ZipFile;
  const entries = new Map<string, Entry>();
  try {
    zip = await yauzl.fromFdPromise(handle.fd, { autoClose: false, validateEntrySizes: true, strictFileNames: false });
    if (zip.entryCount > limits.entries) throw tooMany(limits);
    let uncompressed = 0;
    for await (const entry of zip.eachEntry()) {
      if (entries.size >= limits.entries) throw tooMany(limits);
      uncompressed += entry.uncompressedSize;
      if (uncompressed > limits.uncompressedBytes) {
        throw new FileFormatError(
          `inflates to more than ${mebibytes(limits.uncompressedBytes)}, the most an .xlsx request file may hold (a zip bomb?); it is refused`,
        );
      }
      if (entry.isEncrypted()) throw new FileFormatError('holds encrypted parts; remove the password, or save it as "CSV UTF-8"');
      if (/(^|\/)vbaProject\.bin$/i.test(entry.fileName)) throw new FileFormatError(MACROS);
      entries.set(entry.fileName, entry);
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new FileFormatError(DAMAGED);
  }
  const opened = zip;
  return {
    has: (part) => entries.has(part),
    stream: (part, maxBytes) => streamPart(opened, entries.get(part), part, maxBytes),
  };
}

async function* streamPart(zip: ZipFile, entry: Entry | undefined, part: string, maxBytes: number): AsyncGenerator<Buffer> {
  if (entry === undefined) throw new FileFormatError(`is not a complete .xlsx workbook: it has no part ${part}`);
  if (entry.uncompressedSize > maxBytes) throw partTooLarge(part, maxBytes);
  let read = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > maxBytes) throw partTooLarge(part, maxBytes);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new FileFormatError(DAMAGED);
  }
}

function tooMany(limits: XlsxLimits): FileFormatError {
  return new FileFormatError(`holds more than ${limits.entries} parts, the most an .xlsx request file may hold; it is refused`);
}

function partTooLarge(part: string, maxBytes: number): FileFormatError {
  return new FileFormatError(`its part ${part} inflates to more than ${mebibytes(maxBytes)}, the most this tool reads; save the sheet as "CSV UTF-8"`);
}

export { MACROS as MACRO_ENABLED_REASON };
