import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UUID_PATTERN } from '../uuidPattern.js';
import { DECISIONS_FORMAT, type DecisionsFile } from './decisionsFile.js';
import { DecisionsError } from './decisionsError.js';

/** A reviewer's name and a reason are words, not documents: longer is a mistake (or data pasted in). */
export const MAX_REVIEWER_LENGTH = 200;
export const MAX_REASON_LENGTH = 1000;

/**
 * Reads and checks a decisions file's shape; whether it matches what it decides on is
 * checkDecisions'. A problem is a DecisionsError naming the file and where, never a value of it.
 */
export async function readDecisions(path: string): Promise<{ file: DecisionsFile; sha256: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DecisionsError(`cannot read the decisions file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DecisionsError(`${path} is not a decisions file: not JSON`);
  }
  const problem = decisionsProblem(value);
  if (problem !== undefined) throw new DecisionsError(`${path} is not a decisions file this version can apply: ${problem}`);
  return { file: value as DecisionsFile, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

export function decisionsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (value.format !== DECISIONS_FORMAT) return `format is not ${DECISIONS_FORMAT}`;
  const subjectProblem = subjectProblemOf(value.subject);
  if (subjectProblem !== undefined) return `subject: ${subjectProblem}`;
  if (!Array.isArray(value.requests) || value.requests.length === 0) return 'no requests decided';
  const seen = new Set<string>();
  for (const [index, request] of value.requests.entries()) {
    const problem = requestProblem(request);
    if (problem !== undefined) return `request #${index + 1}: ${problem}`;
    const { requestId } = request as { requestId: string };
    if (seen.has(requestId)) return `request #${index + 1}: decided twice`;
    seen.add(requestId);
  }
  return undefined;
}

function subjectProblemOf(subject: unknown): string | undefined {
  if (!isObject(subject) || typeof subject.file !== 'string') return 'must name the plan or ledger decided on';
  if (subject.kind === 'plan') {
    if (typeof subject.planId !== 'string' || !/^[0-9a-f]{64}$/.test(String(subject.sha256))) return 'a plan is named by its planId and sha256';
    return undefined;
  }
  if (subject.kind === 'ledger') {
    if (!isObject(subject.resolvedIn) || !Object.values(subject.resolvedIn).every((runId) => typeof runId === 'string')) {
      return 'a ledger subject names the run each request was resolved in (resolvedIn)';
    }
    return undefined;
  }
  return 'kind must be plan or ledger';
}

function requestProblem(request: unknown): string | undefined {
  if (!isObject(request)) return 'not an object';
  if (typeof request.requestId !== 'string' || request.requestId === '') return 'no requestId';
  if (typeof request.reviewer !== 'string' || request.reviewer.trim() === '') return 'no reviewer';
  if (request.reviewer.length > MAX_REVIEWER_LENGTH) return `reviewer is longer than ${MAX_REVIEWER_LENGTH} characters`;
  if (typeof request.decidedAt !== 'string' || Number.isNaN(Date.parse(request.decidedAt))) return 'decidedAt is not a date';
  if (!Array.isArray(request.targets) || request.targets.length === 0) return 'no targets decided';
  const seen = new Set<string>();
  for (const [index, target] of request.targets.entries()) {
    const problem = targetProblem(target);
    if (problem !== undefined) return `target #${index + 1}: ${problem}`;
    const key = `${(target as { kind: string }).kind}:${(target as { id: string }).id}`;
    if (seen.has(key)) return `target #${index + 1}: decided twice`;
    seen.add(key);
  }
  return undefined;
}

function targetProblem(target: unknown): string | undefined {
  if (!isObject(target)) return 'not an object';
  if (target.kind !== 'conversation' && target.kind !== 'visitor') return 'kind must be conversation or visitor';
  if (typeof target.id !== 'string' || !UUID_PATTERN.test(target.id)) return 'id is not a UUID';
  if (target.decision !== 'erase' && target.decision !== 'keep') return 'decision must be erase or keep';
  if (target.reason !== undefined && (typeof target.reason !== 'string' || target.reason.length > MAX_REASON_LENGTH)) {
    return `reason must be text of at most ${MAX_REASON_LENGTH} characters`;
  }
  if (target.decision === 'keep' && (typeof target.reason !== 'string' || target.reason.trim() === '')) return 'a keep needs a reason';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
