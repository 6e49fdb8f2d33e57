import type { IadvizeClient } from '../api/iadvizeClient.js';
import { targetKey, type RequestEvent, type RequestStatus, type ResolutionEvent, type TargetKind, type TargetStatus } from '../ledger/ledgerEvents.js';
import type { JudgedTarget, TargetDecision } from '../ledger/targetEvidence.js';
import { heldCounts } from '../resolve/describeHolds.js';
import type { TargetRegistry } from './targetRegistry.js';

export interface EraseContext {
  client: IadvizeClient;
  registry: TargetRegistry;
  dryRun: boolean;
}

/** A request event without its outcome: who, from where, and when the person asked. */
export type RequestEventBase = Omit<RequestEvent, 'status' | 'conversations' | 'visitors'>;

export function requestEventBase(
  runId: string,
  request: { requestId: string; source: RequestEvent['source']; receivedAt?: string; receivedAtUnreadable?: true },
): RequestEventBase {
  return {
    type: 'request',
    runId,
    requestId: request.requestId,
    source: request.source,
    ...(request.receivedAt !== undefined ? { receivedAt: request.receivedAt } : {}),
    ...(request.receivedAtUnreadable === true ? { receivedAtUnreadable: true } : {}),
  };
}

/**
 * A person's decision on a request's held targets: each is erased unless kept. `--approve` keeps
 * none (`approved`); a decisions file names each held target (`targets`, by targetKey).
 */
export interface HeldDecision {
  by: string;
  at: string;
  approved?: true;
  targets?: ReadonlyMap<string, TargetDecision>;
}

/** The held target's decision: a decisions file's, or erase by `--approve`. */
export function decisionOn(decision: HeldDecision, target: Pick<JudgedTarget, 'kind' | 'id'>): TargetDecision {
  return decision.targets?.get(targetKey(target.kind, target.id)) ?? { decision: 'erase', decidedBy: decision.by };
}

/** The ledger's record of why each target of a request was reached, and what a person decided on the held ones. */
export function resolutionEvent(
  runId: string,
  requestId: string,
  targets: JudgedTarget[],
  decision?: HeldDecision,
  identifiers?: Record<string, string>,
): ResolutionEvent {
  const recorded =
    decision === undefined ? targets : targets.map((target) => (target.held === undefined ? target : { ...target, decision: decisionOn(decision, target) }));
  // key order matters: readLedger reads what comes before `targets` without parsing them
  return {
    type: 'resolution',
    runId,
    requestId,
    ...(identifiers !== undefined ? { identifiers } : {}),
    targets: recorded,
    ...(decision?.approved === true ? { approved: true } : {}),
    ...(decision !== undefined ? { decidedBy: decision.by, decidedAt: decision.at } : {}),
  };
}

export interface EraseChoice {
  /** A person decided the held targets: the ones not kept are erased too. */
  decision?: HeldDecision | undefined;
  /** Why the held part waits (describeHolds), for the event's reason. */
  heldReason?: string | undefined;
  /** The request's resolution event, appended: it must be on record before any target is sent. */
  recorded?: Promise<void>;
}

/**
 * Anonymizes a request's targets that are not held (all of them once released), conversations
 * first, and returns its event: completed; failed; planned on a dry run; needs_review while a part
 * is held, which never delays the rest. Each target goes on record, credited to the request,
 * before the first mutation (write-ahead), so a crash cannot lose one whose only trace the mutation
 * is about to delete.
 */
export async function eraseTargets(
  base: RequestEventBase,
  targets: readonly JudgedTarget[],
  context: EraseContext,
  choice: EraseChoice,
): Promise<RequestEvent> {
  const { decision } = choice;
  const kept = decision === undefined ? [] : targets.filter((target) => target.held !== undefined && decisionOn(decision, target).decision === 'keep');
  const erased = decision !== undefined ? targets.filter((target) => !kept.includes(target)) : targets.filter((target) => target.held === undefined);
  const held = decision !== undefined ? undefined : heldCounts(targets);
  const counts = {
    conversations: targets.filter((target) => target.kind === 'conversation').length,
    visitors: targets.filter((target) => target.kind === 'visitor').length,
    ...(held !== undefined ? { held } : {}),
    ...(decision !== undefined ? decidedFields(decision, kept) : {}),
  };
  const requestId = base.requestId;
  await Promise.all([choice.recorded, ...erased.map(({ kind, id }) => context.registry.plan(kind, id, requestId))]);
  const heldPart = held === undefined ? undefined : `${choice.heldReason ?? 'held for review'}; ${erasedPart(erased.length, context.dryRun)}`;
  const outcome = (status: RequestStatus, ...reasons: (string | undefined)[]): RequestEvent => {
    const reason = [base.reason, ...reasons].filter((part) => part !== undefined).join('; ');
    return { ...base, status, ...counts, ...(reason !== '' ? { reason } : {}) };
  };
  if (context.dryRun) return outcome(held !== undefined ? 'needs_review' : 'planned', heldPart);

  const anonymize = (kind: TargetKind, id: string): Promise<TargetStatus> =>
    context.registry.anonymize(kind, id, requestId, (k, i) =>
      k === 'conversation' ? context.client.anonymizeConversation(i) : context.client.anonymizeVisitor(i),
    );
  // Conversations before visitors: while the profile still holds the e-mail, a re-run can find them again.
  const statuses = await allSettledFirst(erased.filter((target) => target.kind === 'conversation').map(({ id }) => anonymize('conversation', id)));
  statuses.push(...(await allSettledFirst(erased.filter((target) => target.kind === 'visitor').map(({ id }) => anonymize('visitor', id)))));

  const failed = statuses.filter((status) => status === 'failed').length;
  if (failed > 0) return outcome('failed', `${failed} of ${statuses.length} targets failed; a re-run retries them`, heldPart);
  if (held !== undefined) return outcome('needs_review', heldPart);
  return outcome('completed');
}

function decidedFields(decision: HeldDecision, kept: readonly JudgedTarget[]): Pick<RequestEvent, 'approved' | 'decidedBy' | 'decidedAt' | 'kept'> {
  return {
    ...(decision.approved === true ? { approved: true } : {}),
    decidedBy: decision.by,
    decidedAt: decision.at,
    ...(kept.length > 0
      ? {
          kept: {
            conversations: kept.filter((target) => target.kind === 'conversation').length,
            visitors: kept.filter((target) => target.kind === 'visitor').length,
          },
        }
      : {}),
  };
}

/** "decided by Ana Ruiz: 3 held targets erased, 1 kept" (the resolution event says which, and why). */
export function decidedPart(decision: HeldDecision, targets: readonly JudgedTarget[]): string {
  if (decision.approved === true) return 'released by --approve';
  const held = targets.filter((target) => target.held !== undefined);
  const keeps = held.filter((target) => decisionOn(decision, target).decision === 'keep').length;
  return `decided by ${decision.by}: ${held.length - keeps} held target${held.length - keeps === 1 ? '' : 's'} erased, ${keeps} kept`;
}

function erasedPart(count: number, dryRun: boolean): string {
  if (count === 0) return 'nothing anonymized';
  return `the other ${count} target${count === 1 ? '' : 's'} ${dryRun ? 'planned' : 'erased'}`;
}

/**
 * Promise.all, but settled: when one mutation throws (an error that ends the run), the others in
 * flight are waited for before the first error goes on. The run writes its summary once every
 * request has ended, and a mutation still in flight then put its target's event after the summary.
 */
async function allSettledFirst<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
