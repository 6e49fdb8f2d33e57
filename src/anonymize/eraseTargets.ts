import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { RequestEvent, TargetKind, TargetStatus } from '../ledger/ledgerEvents.js';
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
 * Anonymizes one request's targets, conversations first, and returns its event: completed, failed,
 * or planned on a dry run. Each target goes on record, credited to the request, before the first
 * mutation (write-ahead), so a crash cannot lose one whose only trace the mutation is about to delete.
 */
export async function eraseTargets(
  base: RequestEventBase,
  targets: { conversationIds: string[]; visitorIds: string[] },
  context: EraseContext,
): Promise<RequestEvent> {
  const { conversationIds, visitorIds } = targets;
  const counts = { conversations: conversationIds.length, visitors: visitorIds.length };
  const requestId = base.requestId;
  const all = [...conversationIds.map((id) => ({ kind: 'conversation' as const, id })), ...visitorIds.map((id) => ({ kind: 'visitor' as const, id }))];
  await Promise.all(all.map(({ kind, id }) => context.registry.plan(kind, id, requestId)));
  if (context.dryRun) return { ...base, status: 'planned', ...counts };

  const anonymize = (kind: TargetKind, id: string): Promise<TargetStatus> =>
    context.registry.anonymize(kind, id, requestId, (k, i) => (k === 'conversation' ? context.client.anonymizeConversation(i) : context.client.anonymizeVisitor(i)));
  // Conversations before visitors: while the profile still holds the e-mail, a re-run can find them again.
  const statuses = await Promise.all(conversationIds.map((id) => anonymize('conversation', id)));
  statuses.push(...(await Promise.all(visitorIds.map((id) => anonymize('visitor', id)))));

  const failed = statuses.filter((status) => status === 'failed').length;
  if (failed > 0) return { ...base, status: 'failed', ...counts, reason: joinReasons(base.reason, `${failed} of ${statuses.length} targets failed; a re-run retries them`) };
  return { ...base, status: 'completed', ...counts };
}

function joinReasons(first: string | undefined, second: string): string {
  return first === undefined ? second : `${first}; ${second}`;
}
