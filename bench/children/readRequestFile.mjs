import { readRequests } from '../../dist/requests/readRequests.js';
import { childInput, report } from '../lib/runChild.mjs';

/**
 * Reads and validates one request file as `run` does (readRequests: two streamed passes), with no
 * API call, and reports the process's peak RSS at the end. Input: { file }.
 */
const input = await childInput();
let requests = 0;
let rejected = 0;
const startedAt = performance.now();
for await (const outcome of readRequests(input.file)) {
  if (outcome.kind === 'request') requests += 1;
  else rejected += 1;
}
const elapsedMs = performance.now() - startedAt;
// resourceUsage().maxRSS is in kibibytes.
report({ requests, rejected, elapsedMs, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
