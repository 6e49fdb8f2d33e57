import { readFile } from 'node:fs/promises';
import { PlanError } from './planError.js';
import { DATE_ORDERS } from '../requests/receivedAtInstant.js';
import { TEXT_ENCODINGS } from '../requests/textEncoding.js';
import { UUID_PATTERN } from '../uuidPattern.js';
import { PLAN_FORMAT, PLANNED_STATUSES, type Plan, type PlannedRequest } from './plan.js';

/**
 * Reads and checks a plan file. Anything that is not a plan this version wrote is refused with
 * a PlanError naming the file and, for a bad request, its index: apply must execute exactly a plan.
 */
export async function readPlan(path: string): Promise<{ plan: Plan; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlanError(`cannot read the plan ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PlanError(`${path} is not a plan: not JSON`);
  }
  const problem = planProblem(value);
  if (problem !== undefined) throw new PlanError(`${path} is not a plan this version can apply: ${problem}`);
  return { plan: value as Plan, text };
}

function planProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (value.format !== PLAN_FORMAT) return `format is not ${PLAN_FORMAT}`;
  if (typeof value.planId !== 'string') return 'no planId';
  if (
    !Array.isArray(value.inputs) ||
    !value.inputs.every((input) => isObject(input) && typeof input.file === 'string' && /^[0-9a-f]{64}$/.test(String(input.sha256)))
  ) {
    return 'inputs must be a list of { file, sha256 }';
  }
  if (!isObject(value.options)) return 'no options';
  const { encoding, dateOrder, sheet } = value.options;
  if (encoding != null && !TEXT_ENCODINGS.includes(encoding as never)) return 'options.encoding is not an encoding this version reads';
  if (dateOrder !== undefined && !DATE_ORDERS.includes(dateOrder as never)) return 'options.dateOrder is not dmy, mdy or ymd';
  if (sheet != null && typeof sheet !== 'string') return 'options.sheet is not a sheet name';
  if (!Array.isArray(value.requests)) return 'no requests list';
  const seen = new Set<string>();
  for (const [index, request] of value.requests.entries()) {
    const problem = requestProblem(request);
    if (problem !== undefined) return `request #${index + 1}: ${problem}`;
    const { requestId } = request as PlannedRequest;
    if (seen.has(requestId)) return `request #${index + 1}: request_id ${requestId} appears twice`;
    seen.add(requestId);
  }
  return undefined;
}

function requestProblem(request: unknown): string | undefined {
  if (!isObject(request)) return 'not an object';
  if (typeof request.requestId !== 'string' || request.requestId === '') return 'no requestId';
  if (!PLANNED_STATUSES.includes(request.status as never)) return 'unknown status';
  if (!isObject(request.source) || typeof request.source.file !== 'string' || !Number.isInteger(request.source.line)) return 'no source';
  if (!isUuidList(request.conversations) || !isUuidList(request.visitors)) return 'conversations and visitors must be lists of UUIDs';
  if (request.targets !== undefined) return targetsProblem(request.targets, request.conversations as string[], request.visitors as string[]);
  return undefined;
}

const HOLD_REASONS: readonly string[] = ['conflicting_profile', 'over_visitor_guard'];

/** Apply erases by `targets` when a plan has them: they must be exactly the request's listed ids. */
function targetsProblem(targets: unknown, conversations: string[], visitors: string[]): string | undefined {
  if (!Array.isArray(targets)) return 'targets must be a list';
  const listed = new Set([...conversations.map((id) => `conversation:${id}`), ...visitors.map((id) => `visitor:${id}`)]);
  const seen = new Set<string>();
  for (const target of targets) {
    if (!isObject(target) || (target.kind !== 'conversation' && target.kind !== 'visitor') || typeof target.id !== 'string' || !UUID_PATTERN.test(target.id)) {
      return 'each target needs a kind (conversation or visitor) and a UUID';
    }
    if (!Array.isArray(target.evidence)) return `target ${target.id} has no evidence list`;
    if (target.held !== undefined && !(isObject(target.held) && HOLD_REASONS.includes(String(target.held.reason))))
      return `target ${target.id} is held for an unknown reason`;
    seen.add(`${target.kind}:${target.id}`);
  }
  if (seen.size !== targets.length || seen.size !== listed.size || [...seen].some((key) => !listed.has(key))) {
    return 'targets must list exactly the conversations and visitors of the request, once each';
  }
  return undefined;
}

function isUuidList(value: unknown): boolean {
  return Array.isArray(value) && value.every((id) => typeof id === 'string' && UUID_PATTERN.test(id));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
