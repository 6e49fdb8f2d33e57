import { basename, dirname, join } from 'node:path';
import { LEDGER_SUFFIX } from '../watch/claimArtifacts.js';

const SUBJECT_SUFFIXES = [LEDGER_SUFFIX, '.jsonl', '.json'];

/** Where the decisions on a plan or ledger are saved: beside it, "plan.json" → "plan.decisions.json", "x.ledger.jsonl" → "x.decisions.json". */
export function decisionsPathFor(subjectPath: string): string {
  const name = basename(subjectPath);
  const suffix = SUBJECT_SUFFIXES.find((candidate) => name.endsWith(candidate) && name.length > candidate.length);
  return join(dirname(subjectPath), `${suffix === undefined ? name : name.slice(0, -suffix.length)}.decisions.json`);
}
