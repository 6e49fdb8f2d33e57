import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ResolutionEvent } from './ledgerEvents.js';

/**
 * The resolution event each of these requests got in the given run, read from the ledger line by
 * line (readLedger keeps no target lists). A line that does not parse is skipped, as readLedger does.
 */
export async function readResolutions(path: string, runOfRequest: ReadonlyMap<string, string>): Promise<Map<string, ResolutionEvent>> {
  const found = new Map<string, ResolutionEvent>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.startsWith('{"type":"resolution"')) continue;
    let event: ResolutionEvent;
    try {
      event = JSON.parse(line) as ResolutionEvent;
    } catch {
      continue;
    }
    if (runOfRequest.get(event.requestId) === event.runId && Array.isArray(event.targets)) found.set(event.requestId, event);
  }
  return found;
}
