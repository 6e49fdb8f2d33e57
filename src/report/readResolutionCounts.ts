import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ResolutionEvent } from '../ledger/ledgerEvents.js';
import { countResolution, type ResolutionCounts, type TargetStatusOf } from './resolutionCounts.js';

const RESOLUTION_TYPE = '"resolution"';

/**
 * The latest resolution event of each request, as counts, streamed: readLedger keeps only their
 * person digests, and holding every target list would grow with the ledger. Unreadable lines are
 * skipped, as readLedger does (it counts them).
 */
export async function readResolutionCounts(ledgerPath: string, statusOf: TargetStatusOf): Promise<Map<string, ResolutionCounts>> {
  const byRequest = new Map<string, ResolutionCounts>();
  const lines = createInterface({ input: createReadStream(ledgerPath, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    // most lines are targets: only a line naming the type is parsed
    if (!line.includes(RESOLUTION_TYPE)) continue;
    const event = parsedResolution(line);
    if (event !== undefined) byRequest.set(event.requestId, countResolution(event, statusOf));
  }
  return byRequest;
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
