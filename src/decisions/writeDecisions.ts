import { writeFileAtomically } from '../files/writeFileAtomically.js';
import type { DecisionsFile } from './decisionsFile.js';

/** Writes the decisions atomically: a crash leaves the earlier file or the new one, never half of one. */
export async function writeDecisions(path: string, file: DecisionsFile): Promise<void> {
  await writeFileAtomically(path, [`${JSON.stringify(file, null, 2)}\n`]);
}
