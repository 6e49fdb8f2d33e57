import type { TargetName } from '../ledger/targetTable.js';
import type { JudgedTarget, Resolution } from './evidence.js';

/** A target another request of the ledger was credited with, and the identifier label of this request they share. */
export interface SharedTarget extends TargetName {
  request: string;
  label: string;
}

/**
 * The resolution with what other requests naming the same person were credited with: those targets
 * were certain or judged for them already, so they are never held here; once erased they no longer
 * match a search, and without this the second request would say `no_match`.
 */
export function withSharedTargets(resolution: Resolution, shared: readonly SharedTarget[]): Resolution {
  if (shared.length === 0) return resolution;
  const byKey = new Map(resolution.targets.map((target) => [`${target.kind}:${target.id}`, { ...target, evidence: [...target.evidence] }]));
  for (const { kind, id, request, label } of shared) {
    const evidence = { kind: 'other_request' as const, matched: [label], request };
    const found = byKey.get(`${kind}:${id}`);
    if (found === undefined) byKey.set(`${kind}:${id}`, { kind, id, evidence: [evidence] });
    else {
      found.evidence.push(evidence);
      delete found.held;
    }
  }
  const targets = [...byKey.values()].sort(conversationsFirstById);
  return { ...resolution, targets };
}

function conversationsFirstById(a: JudgedTarget, b: JudgedTarget): number {
  if (a.kind !== b.kind) return a.kind === 'conversation' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
