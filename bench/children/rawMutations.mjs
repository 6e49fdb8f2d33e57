import { request } from 'undici';
import { childInput, cpuMsSince, report } from '../lib/runChild.mjs';

/**
 * The raw baseline: the same anonymization mutations (same documents, same variables) as plain
 * `fetch` calls, `concurrency` at a time, no queries, no ledger, no retries. With `transport:
 * 'request'`, the same calls on undici's `request`, as the tool sends them (a control: the tool's
 * overhead at equal cost per call).
 * Input: { endpoint, token, concurrency, conversationMutation, visitorMutation, conversationIds, visitorIds, transport? }.
 */
const input = await childInput();
const headers = { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' };
const bodies = [
  ...input.conversationIds.map((conversationId) => ({ query: input.conversationMutation, variables: { input: { conversationId } } })),
  ...input.visitorIds.map((id) => ({ query: input.visitorMutation, variables: { visitorAnonymizeInput: { id } } })),
];

async function viaFetch(body) {
  const response = await fetch(input.endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, answer: await response.json() };
}

async function viaRequest(body) {
  const response = await request(input.endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.statusCode, answer: await response.body.json() };
}

let next = 0;
let failed = 0;
async function worker() {
  while (next < bodies.length) {
    const body = bodies[next++];
    const { status, answer } = input.transport === 'request' ? await viaRequest(body) : await viaFetch(body);
    if (status !== 200 || answer.errors !== undefined) failed += 1;
  }
}

const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
await Promise.all(Array.from({ length: input.concurrency }, worker));
const elapsedMs = performance.now() - startedAt;
report({ elapsedMs, cpuMs: cpuMsSince(cpuBefore), mutations: bodies.length, failed });
