import { RequestFileError } from './requestFileError.js';

/** The file's bytes differ between two reads of it: what was read may be half old, half new. */
export function changedWhileReading(file: string): RequestFileError {
  return new RequestFileError(file, 'changed_while_reading', 'the file changed while being read; run again once it is complete');
}
