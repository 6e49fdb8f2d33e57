import { readFile } from 'node:fs/promises';
import { childInput, report } from '../lib/runChild.mjs';

/** The P4 baseline: read the file and JSON.parse every line, nothing else. Input: { path }. */
const input = await childInput();
const startedAt = performance.now();
const text = await readFile(input.path, 'utf8');
let events = 0;
for (const line of text.split('\n')) {
  if (line.length === 0) continue;
  JSON.parse(line);
  events += 1;
}
report({ elapsedMs: performance.now() - startedAt, events });
