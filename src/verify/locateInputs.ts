import { basename, dirname, join, resolve } from 'node:path';
import { VerifyError } from './verifyError.js';
import type { RunEvent } from '../ledger/ledgerEvents.js';
import { sha256OfFile } from '../requests/readRequests.js';
import { RequestFileError } from '../requests/requestFileError.js';

/** The request files verify can read, by content, and why each recorded path it cannot use is unusable. */
export interface LocatedInputs {
  /** SHA-256 → a path holding exactly those bytes, which some run of the ledger read. */
  bySha256: Map<string, string>;
  /** Recorded path → why it cannot be used (missing, unreadable, changed since). Only when no files were given. */
  problems: Map<string, string>;
  /** Whether the files came from the command line rather than from the ledger. */
  given: boolean;
}

/**
 * Files given on the command line replace the paths the ledger recorded; each must hold bytes some
 * run of the ledger read, or the ledger cannot vouch for it and the command is refused. Without
 * files, each recorded path is used if it still holds bytes a run read; if not, a file of the same
 * name beside the ledger that does (a watched file, moved with its ledger from processing/ to
 * done/). A recorded path found in neither place only leaves its requests unchecked.
 */
export async function locateInputs(runs: readonly RunEvent[], files: readonly string[] | undefined, ledgerPath: string): Promise<LocatedInputs> {
  const recorded = new Set(runs.flatMap((run) => inputsOf(run).map((input) => input.sha256)));
  const bySha256 = new Map<string, string>();
  const problems = new Map<string, string>();
  if (files !== undefined && files.length > 0) {
    for (const file of files) {
      const sha256 = await sha256OfFile(file);
      if (!recorded.has(sha256)) {
        throw new VerifyError(`request file ${file} is not one this ledger recorded (no run read a file with its SHA-256); the ledger cannot vouch for it`);
      }
      if (!bySha256.has(sha256)) bySha256.set(sha256, file);
    }
    return { bySha256, problems, given: true };
  }
  const paths = [...new Set(runs.flatMap((run) => inputsOf(run).map((input) => input.file)))];
  for (const path of paths) {
    const atPath = await recordedContent(path, recorded);
    if (atPath.sha256 !== undefined) {
      if (!bySha256.has(atPath.sha256)) bySha256.set(atPath.sha256, path);
      continue;
    }
    const beside = join(dirname(ledgerPath), basename(path));
    const besideLedger = resolve(beside) === resolve(path) ? atPath : await recordedContent(beside, recorded);
    if (besideLedger.sha256 !== undefined) {
      if (!bySha256.has(besideLedger.sha256)) bySha256.set(besideLedger.sha256, beside);
      continue;
    }
    problems.set(path, atPath.problem);
  }
  return { bySha256, problems, given: false };
}

/** The SHA-256 of the file at `path` if it is one a run read; otherwise why it cannot be used. */
async function recordedContent(
  path: string,
  recorded: ReadonlySet<string>,
): Promise<{ sha256: string; problem?: never } | { sha256?: never; problem: string }> {
  let sha256: string;
  try {
    sha256 = await sha256OfFile(path);
  } catch (error) {
    if (!(error instanceof RequestFileError)) throw error;
    return { problem: `input file ${error.reason}; pass it on the command line if it moved` };
  }
  return recorded.has(sha256) ? { sha256 } : { problem: 'input file changed since the run; pass the file as the run read it' };
}

/** A run event's inputs, tolerating a hand-edited or older ledger. */
export function inputsOf(run: RunEvent): RunEvent['inputs'] {
  if (!Array.isArray(run.inputs)) return [];
  return run.inputs.filter((input) => typeof input?.file === 'string' && typeof input.sha256 === 'string');
}
