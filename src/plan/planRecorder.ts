import type { RequestEvent } from '../ledger/ledgerEvents.js';
import type { Resolution } from '../resolve/evidence.js';
import { PLAN_FORMAT, type Plan, type PlannedRequest, type PlannedStatus } from './plan.js';
import { plannedTargets } from './plannedTargets.js';

export type PlanHeader = Omit<Plan, 'format' | 'counts' | 'requests'>;

/**
 * Watches a dry run and keeps, per request, its outcome and its targets: a held request's too,
 * which the ledger does not record, so that a person can review them and apply can release them.
 * It is the run's observer (runErasure's RunObserver, which it matches by shape: plan sits below the run).
 */
export class PlanRecorder {
  private readonly resolutions = new Map<string, Resolution>();
  private readonly requests: PlannedRequest[] = [];

  resolved(requestId: string, resolution: Resolution): void {
    this.resolutions.set(requestId, resolution);
  }

  finished(event: RequestEvent): void {
    if (event.status === 'completed') return; // cannot happen on a dry run; a plan never holds one
    const resolution = event.status === 'planned' || event.status === 'needs_review' ? this.resolutions.get(event.requestId) : undefined;
    this.resolutions.delete(event.requestId);
    this.requests.push({
      requestId: event.requestId,
      status: event.status,
      source: event.source,
      ...(event.receivedAt !== undefined ? { receivedAt: event.receivedAt } : {}),
      ...(event.receivedAtUnreadable === true ? { receivedAtUnreadable: true } : {}),
      ...(event.reason !== undefined ? { reason: event.reason } : {}),
      conversations: idsOf(resolution, 'conversation'),
      visitors: idsOf(resolution, 'visitor'),
      ...(resolution !== undefined ? { targets: resolution.targets } : {}),
    });
  }

  /** The plan, requests in the order apply works: oldest received first, then input order. */
  toPlan(header: PlanHeader, fileOrder: string[]): Plan {
    const fileIndex = new Map(fileOrder.map((file, index) => [file, index]));
    const requests = [...this.requests].sort(
      (a, b) =>
        compareReceived(a.receivedAt, b.receivedAt) ||
        (fileIndex.get(a.source.file) ?? 0) - (fileIndex.get(b.source.file) ?? 0) ||
        a.source.line - b.source.line,
    );
    return { format: PLAN_FORMAT, ...header, counts: countsOf(requests), requests };
  }
}

/** Unknown receipt dates first, as the run orders them: nothing shows they are not overdue. */
function compareReceived(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

function idsOf(resolution: Resolution | undefined, kind: 'conversation' | 'visitor'): string[] {
  return (resolution?.targets ?? []).filter((target) => target.kind === kind).map((target) => target.id);
}

function countsOf(requests: PlannedRequest[]): Plan['counts'] {
  const byStatus: Partial<Record<PlannedStatus, number>> = {};
  const distinct = {
    planned: { conversations: new Set<string>(), visitors: new Set<string>() },
    held: { conversations: new Set<string>(), visitors: new Set<string>() },
  };
  for (const request of requests) {
    byStatus[request.status] = (byStatus[request.status] ?? 0) + 1;
    if (request.status !== 'planned' && request.status !== 'needs_review') continue;
    for (const target of plannedTargets(request)) {
      const bucket = target.held === undefined ? distinct.planned : distinct.held;
      (target.kind === 'conversation' ? bucket.conversations : bucket.visitors).add(target.id);
    }
  }
  const sizes = (sets: { conversations: Set<string>; visitors: Set<string> }) => ({ conversations: sets.conversations.size, visitors: sets.visitors.size });
  return { requests: byStatus, planned: sizes(distinct.planned), held: sizes(distinct.held) };
}
