import { open, type FileHandle } from 'node:fs/promises';
import { asRequestFileError } from './asRequestFileError.js';
import { HashedFileReader } from './hashedFileReader.js';

/** The SHA-256 (hex) of a file's bytes, streamed. Throws RequestFileError when the file cannot be read. */
export async function sha256OfFile(file: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    return (await new HashedFileReader(handle).finish()).sha256;
  } catch (error) {
    throw asRequestFileError(file, error);
  } finally {
    await handle?.close();
  }
}
