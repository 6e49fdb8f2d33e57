import type { DecisionsFile } from './decisionsFile.js';
import type { HeldSubject } from './heldSubject.js';

/**
 * A save adds to what was saved before for the same plan or ledger, and never loses it: the
 * requests decided now replace their earlier decisions, and earlier ones that are still held, as
 * they were reviewed, are kept. An earlier file about another plan, or requests no longer held
 * (applied since) or resolved again since, drop out.
 */
export function mergeDecisions(subject: HeldSubject, earlier: DecisionsFile | undefined, now: DecisionsFile): DecisionsFile {
  if (earlier === undefined || !sameSubject(earlier, now)) return now;
  const decidedNow = new Set(now.requests.map((request) => request.requestId));
  const held = new Map(subject.requests.map((request) => [request.requestId, request]));
  const kept = earlier.requests.filter((request) => {
    if (decidedNow.has(request.requestId)) return false;
    const stillHeld = held.get(request.requestId);
    if (stillHeld === undefined) return false;
    return earlier.subject.kind !== 'ledger' || earlier.subject.resolvedIn[request.requestId] === stillHeld.resolvedIn;
  });
  const requests = [...kept, ...now.requests];
  if (now.subject.kind === 'plan' || earlier.subject.kind === 'plan') return { ...now, requests };
  const resolvedIn = { ...now.subject.resolvedIn };
  for (const request of kept) resolvedIn[request.requestId] = earlier.subject.resolvedIn[request.requestId]!;
  return { ...now, subject: { ...now.subject, resolvedIn }, requests };
}

function sameSubject(a: DecisionsFile, b: DecisionsFile): boolean {
  if (a.subject.kind === 'plan' && b.subject.kind === 'plan') return a.subject.planId === b.subject.planId && a.subject.sha256 === b.subject.sha256;
  return a.subject.kind === 'ledger' && b.subject.kind === 'ledger' && a.subject.file === b.subject.file;
}
