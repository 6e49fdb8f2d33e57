import type { TargetEvent, TargetStatus } from './ledgerEvents.js';

export type TargetCounts = Record<TargetStatus, number>;

/**
 * Per request, how many of its targets are in each status. One pass over the targets, so a report
 * over many requests and a million targets stays linear; a target shared by several requests
 * counts for each of them.
 */
export function countTargetsByRequest(targets: Iterable<TargetEvent>): Map<string, TargetCounts> {
  const byRequest = new Map<string, TargetCounts>();
  for (const target of targets) {
    const { requestIds } = target;
    for (let i = 0; i < requestIds.length; i += 1) {
      const requestId = requestIds[i]!;
      // a requestId listed twice on one target is still one target of that request
      if (i > 0 && requestIds.indexOf(requestId) < i) continue;
      let counts = byRequest.get(requestId);
      if (counts === undefined) {
        counts = { anonymized: 0, already_anonymized: 0, failed: 0, planned: 0 };
        byRequest.set(requestId, counts);
      }
      counts[target.status] = (counts[target.status] ?? 0) + 1;
    }
  }
  return byRequest;
}
