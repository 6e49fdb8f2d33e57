import type { HeldSubject } from '../decisions/heldSubject.js';
import { MAX_REASON_LENGTH, MAX_REVIEWER_LENGTH } from '../decisions/readDecisions.js';
import { DECISIONS_FORMAT, type DecidedTarget, type DecisionsFile, type DecisionsSubject, type RequestDecisions } from '../decisions/decisionsFile.js';

/** What the page posts: the reviewer, and each request's decided targets (UUIDs, decisions, reasons). */
export interface PostedDecisions {
  reviewer: string;
  requests: { requestId: string; targets: { kind: string; id: string; decision: string; reason?: string }[] }[];
}

/** Refused with 400: the body is not what the page sends. Its message names no value. */
export class PostedDecisionsError extends Error {
  override readonly name = 'PostedDecisionsError';
}

/**
 * The decisions file for what the page posted, taking only the fields the format has: whatever
 * else a body carries is dropped, so that nothing but UUIDs, decisions, reviewer, reasons and
 * times reaches the file. Whether each decision fits the held targets is checkDecisions' to say.
 */
export function decisionsOfPage(body: unknown, subject: HeldSubject, decidedAt: string): DecisionsFile {
  if (!isRecord(body) || typeof body.reviewer !== 'string' || !Array.isArray(body.requests)) {
    throw new PostedDecisionsError('expected {reviewer, requests}');
  }
  const reviewer = body.reviewer.trim();
  if (reviewer === '' || reviewer.length > MAX_REVIEWER_LENGTH)
    throw new PostedDecisionsError(`the reviewer must be named (${MAX_REVIEWER_LENGTH} characters at most)`);
  const requests = body.requests.map((request, index): RequestDecisions => {
    if (!isRecord(request) || typeof request.requestId !== 'string' || !Array.isArray(request.targets)) {
      throw new PostedDecisionsError(`request #${index + 1}: expected {requestId, targets}`);
    }
    return {
      requestId: request.requestId,
      reviewer,
      decidedAt,
      targets: request.targets.map((target, at) => decidedTarget(target, `request #${index + 1}, target #${at + 1}`)),
    };
  });
  return { format: DECISIONS_FORMAT, subject: subjectOf(subject, requests), requests };
}

function decidedTarget(target: unknown, where: string): DecidedTarget {
  if (!isRecord(target) || (target.kind !== 'visitor' && target.kind !== 'conversation') || typeof target.id !== 'string') {
    throw new PostedDecisionsError(`${where}: expected {kind, id, decision}`);
  }
  if (target.decision !== 'erase' && target.decision !== 'keep') throw new PostedDecisionsError(`${where}: the decision must be erase or keep`);
  const reason = typeof target.reason === 'string' ? target.reason.trim() : '';
  if (reason.length > MAX_REASON_LENGTH) throw new PostedDecisionsError(`${where}: the reason is longer than ${MAX_REASON_LENGTH} characters`);
  // as readDecisions refuses it in a file: checked here too, since the page's post never goes through a file first
  if (target.decision === 'keep' && reason === '') throw new PostedDecisionsError(`${where} (${target.kind} ${target.id}): a keep needs a reason`);
  return { kind: target.kind, id: target.id, decision: target.decision, ...(reason !== '' ? { reason } : {}) };
}

function subjectOf(subject: HeldSubject, requests: readonly RequestDecisions[]): DecisionsSubject {
  if (subject.kind === 'plan') return { kind: 'plan', file: subject.path, planId: subject.planId ?? '', sha256: subject.sha256 ?? '' };
  const resolvedIn: Record<string, string> = {};
  for (const { requestId } of requests) {
    const runId = subject.requests.find((held) => held.requestId === requestId)?.resolvedIn;
    if (runId !== undefined) resolvedIn[requestId] = runId;
  }
  return { kind: 'ledger', file: subject.path, resolvedIn };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
