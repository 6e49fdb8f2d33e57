import { childInput, cpuMsSince, report } from '../lib/runChild.mjs';

/**
 * The raw baseline: the same anonymization mutations (same documents, same variables) as plain
 * `fetch` calls, `concurrency` at a time, no queries, no ledger, no retries.
 * Input: { endpoint, token, concurrency, conversationMutation, visitorMutation, conversationIds, visitorIds }.
 */
const input = await childInput();
const headers = { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' };
const bodies = [
  ...input.conversationIds.map((conversationId) => ({ query: input.conversationMutation, variables: { input: { conversationId } } })),
  ...input.visitorIds.map((id) => ({ query: input.visitorMutation, variables: { visitorAnonymizeInput: { id } } })),
];

let next = 0;
let failed = 0;
async function worker() {
  while (next < bodies.length) {
    const body = bodies[next++];
    const response = await fetch(input.endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
    const answer = await response.json();
    if (response.status !== 200 || answer.errors !== undefined) failed += 1;
  }
}

const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
await Promise.all(Array.from({ length: input.concurrency }, worker));
const elapsedMs = performance.now() - startedAt;
report({ elapsedMs, cpuMs: cpuMsSince(cpuBefore), mutations: bodies.length, failed });
