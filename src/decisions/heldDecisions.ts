import type { HeldDecision } from '../anonymize/eraseTargets.js';
import { targetKey } from '../ledger/ledgerEvents.js';
import type { TargetDecision } from '../ledger/targetEvidence.js';
import type { DecisionsFile } from './decisionsFile.js';

/** A checked decisions file as the run applies it: each request's decision, by request id. */
export function heldDecisions(file: DecisionsFile): Map<string, HeldDecision> {
  return new Map(
    file.requests.map((request) => {
      const targets = new Map<string, TargetDecision>(
        request.targets.map((target) => [
          targetKey(target.kind, target.id),
          { decision: target.decision, decidedBy: request.reviewer, ...(target.reason !== undefined && target.reason !== '' ? { reason: target.reason } : {}) },
        ]),
      );
      return [request.requestId, { by: request.reviewer, at: request.decidedAt, targets }];
    }),
  );
}
