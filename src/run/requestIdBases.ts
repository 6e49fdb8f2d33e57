import { basename, resolve, sep } from 'node:path';

/**
 * What a row without request_id is named after, per input file (`<base>:L<line>`): the file's name,
 * or, when two inputs of the run share it (x/requests.csv, y/requests.csv), the shortest end of
 * its path that tells them apart, so that no two rows of one run get the same id.
 */
export function requestIdBases(files: readonly string[]): Map<string, string> {
  const parts = new Map(
    files.map((file) => [
      file,
      resolve(file)
        .split(sep)
        .filter((part) => part !== ''),
    ]),
  );
  const bases = new Map<string, string>();
  for (const file of files) {
    const own = parts.get(file)!;
    let length = 1;
    const tail = (segments: string[], count: number) => segments.slice(-count).join('/');
    const clashes = (count: number) =>
      files.some((other) => other !== file && resolve(other) !== resolve(file) && tail(parts.get(other)!, count) === tail(own, count));
    while (length < own.length && clashes(length)) length += 1;
    bases.set(file, length === 1 ? basename(file) : tail(own, length));
  }
  return bases;
}
