import { TargetRegistry } from '../../dist/anonymize/targetRegistry.js';
import { readLedger } from '../../dist/ledger/readLedger.js';
import { childInput, report } from '../lib/runChild.mjs';

/**
 * What a resumed run does before its first call (runErasure): replay the ledger, build the target
 * registry from it, and tell the settled requests from the rest. Input: { path }.
 */
const input = await childInput();
const startedAt = performance.now();
const state = await readLedger(input.path);
const registry = new TargetRegistry('bench-resume', async () => {}, state.targets);
let settled = 0;
for (const request of state.requests.values()) if (request.status === 'completed' || request.status === 'no_match') settled += 1;
const elapsedMs = performance.now() - startedAt;
report({ elapsedMs, events: state.events, targets: registry.progress.total, targetsDone: registry.progress.done, requests: state.requests.size, settled });
