import { isAbsolute, normalize, resolve, sep } from 'node:path';
import type { RunEvent } from '../ledger/ledgerEvents.js';

/** The run input a request came from, or why none can be told. */
export type InputOfSource = { input: RunEvent['inputs'][number] } | { problem: 'none' | 'ambiguous' };

/**
 * Which of its run's inputs a request's `source.file` names. A `run` records both as given, so
 * they are equal. `apply` records the plan's inputs as absolute paths, while the plan's requests
 * name their file as `plan` was given it, relative to a working directory nobody recorded: that
 * path, resolved there, ends with the relative one (its leading `..` dropped), so the one input
 * ending so is it. Two inputs ending so cannot be told apart.
 */
export function inputOfSource(inputs: RunEvent['inputs'], sourceFile: string): InputOfSource {
  const exact = inputs.find((input) => input.file === sourceFile);
  if (exact !== undefined) return { input: exact };
  const candidates = isAbsolute(sourceFile)
    ? inputs.filter((input) => resolve(input.file) === resolve(sourceFile))
    : inputs.filter((input) => endsWithPath(normalize(input.file), tailOf(sourceFile)));
  const distinct = new Map(candidates.map((input) => [`${input.sha256}\u0000${input.idBase ?? ''}`, input]));
  if (distinct.size === 1) return { input: [...distinct.values()][0]! };
  return { problem: distinct.size === 0 ? 'none' : 'ambiguous' };
}

/** `./a/../b/in.csv` → `b/in.csv`; `../../in/x.csv` → `in/x.csv`. */
function tailOf(relative: string): string {
  const segments = normalize(relative).split(sep);
  while (segments[0] === '..') segments.shift();
  return segments.join(sep);
}

function endsWithPath(path: string, tail: string): boolean {
  return tail !== '' && tail !== '.' && (path === tail || path.endsWith(`${sep}${tail}`));
}
