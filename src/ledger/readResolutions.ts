import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ResolutionEvent } from './ledgerEvents.js';

const RESOLUTION_TYPE = '"resolution"';

/**
 * Every resolution event of the ledger, in order, read line by line: readLedger keeps no target
 * lists, and holding them all would grow with the ledger. A line that does not parse is skipped,
 * as readLedger does (it counts them).
 */
export async function* resolutionEvents(path: string): AsyncGenerator<ResolutionEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    // most lines are targets: only a line naming the type is parsed
    if (!line.includes(RESOLUTION_TYPE)) continue;
    const event = parsedResolution(line);
    if (event !== undefined) yield event;
  }
}

/** The resolution event each of these requests got in the given run. */
export async function readResolutions(path: string, runOfRequest: ReadonlyMap<string, string>): Promise<Map<string, ResolutionEvent>> {
  const found = new Map<string, ResolutionEvent>();
  for await (const event of resolutionEvents(path)) {
    if (runOfRequest.get(event.requestId) === event.runId) found.set(event.requestId, event);
  }
  return found;
}

function parsedResolution(line: string): ResolutionEvent | undefined {
  let event: unknown;
  try {
    event = JSON.parse(line.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (event === null || typeof event !== 'object') return undefined;
  const candidate = event as Partial<ResolutionEvent>;
  return candidate.type === 'resolution' && typeof candidate.requestId === 'string' && Array.isArray(candidate.targets)
    ? (event as ResolutionEvent)
    : undefined;
}
