import { targetKey } from '../ledger/ledgerEvents.js';
import type { DecisionsFile } from './decisionsFile.js';
import { DecisionsError } from './decisionsError.js';
import type { HeldSubject } from './heldSubject.js';

const MAX_PROBLEMS_SHOWN = 10;

/**
 * A decisions file is executed exactly or not at all: it must be about this plan (same id and
 * bytes) or this ledger's resolutions, and decide every held target of each request it names,
 * and nothing else. Throws a DecisionsError listing what does not match, by request id and UUID.
 */
export function checkDecisions(subject: HeldSubject, decisions: DecisionsFile, decisionsPath = 'the decisions'): void {
  const problems: string[] = [];
  const file = decisions.subject;
  if (file.kind !== subject.kind) problems.push(`it decides on a ${file.kind}, and ${subject.path} is a ${subject.kind}`);
  else if (file.kind === 'plan' && (file.planId !== subject.planId || file.sha256 !== subject.sha256)) {
    problems.push(`it was made for plan ${file.planId}, not this plan file (${subject.planId ?? 'no id'}) as it is now`);
  }
  const held = new Map(subject.requests.map((request) => [request.requestId, request]));
  for (const request of decisions.requests) {
    const heldRequest = held.get(request.requestId);
    if (heldRequest === undefined) {
      problems.push(`request ${request.requestId} is not held for review there`);
      continue;
    }
    if (file.kind === 'ledger' && file.resolvedIn[request.requestId] !== heldRequest.resolvedIn) {
      problems.push(`request ${request.requestId} was resolved again since it was reviewed (run ${heldRequest.resolvedIn ?? 'unknown'}): review it again`);
      continue;
    }
    const heldTargets = new Set(heldRequest.targets.filter((target) => target.held !== undefined).map((target) => targetKey(target.kind, target.id)));
    const decided = new Set(request.targets.map((target) => targetKey(target.kind, target.id)));
    for (const key of decided) if (!heldTargets.has(key)) problems.push(`request ${request.requestId}: ${key} is not one of its held targets`);
    for (const key of heldTargets) if (!decided.has(key)) problems.push(`request ${request.requestId}: held target ${key} has no decision`);
  }
  if (problems.length === 0) return;
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more` : '';
  throw new DecisionsError(`${decisionsPath} cannot be applied to ${subject.path}: ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}${more}`);
}
