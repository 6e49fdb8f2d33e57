import type { HeldWork, WorkSource } from '../run/runErasure.js';
import { DecisionsError } from './decisionsError.js';
import type { HeldSubject, ReadOptions } from './heldSubject.js';

/**
 * The run that decides these held requests of a ledger: each as its run resolved it, with no new
 * resolution, under that run's options (verify reads the files again as it did). Requests held by
 * runs with other options are decided in separate runs.
 */
export function heldWorkOf(subject: HeldSubject, requestIds: ReadonlySet<string>): { source: Extract<WorkSource, { kind: 'held' }>; options: ReadOptions } {
  const selected = subject.requests.filter((request) => requestIds.has(request.requestId));
  const first = selected[0];
  if (first === undefined) throw new DecisionsError(`none of these requests is held for review in ${subject.path}`);
  const differing = selected.filter((request) => !sameOptions(request.options, first.options)).map((request) => request.requestId);
  if (differing.length > 0) {
    throw new DecisionsError(
      `requests ${differing.slice(0, 10).join(', ')} were held by a run with other options than ${first.requestId}'s: decide them in a decisions file of their own`,
    );
  }
  const requests = selected.map((request): HeldWork => {
    const earlier = request.earlier!;
    return {
      entry: {
        requestId: request.requestId,
        status: 'needs_review',
        source: request.source,
        ...(request.receivedAt !== undefined ? { receivedAt: request.receivedAt } : {}),
        ...(request.receivedAtUnreadable === true ? { receivedAtUnreadable: true } : {}),
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        conversations: request.targets.filter((target) => target.kind === 'conversation').map((target) => target.id),
        visitors: request.targets.filter((target) => target.kind === 'visitor').map((target) => target.id),
        targets: request.targets,
      },
      earlier: { request: earlier.request, ...(earlier.resolution.identifiers !== undefined ? { identifiers: earlier.resolution.identifiers } : {}) },
    };
  });
  return { source: { kind: 'held', inputs: subject.inputs, requests }, options: first.options };
}

function sameOptions(a: ReadOptions, b: ReadOptions): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

function normalized(options: ReadOptions): unknown[] {
  return [
    options.projectIds,
    options.interval.from,
    options.interval.to,
    options.maxVisitorsPerRequest,
    options.defaultCountry ?? null,
    options.encoding ?? null,
    options.dateOrder ?? null,
    options.sheet ?? null,
  ];
}
