import { resolutionEvents } from '../ledger/readResolutions.js';
import { countResolution, type ResolutionCounts, type TargetStatusOf } from './resolutionCounts.js';

/** The latest resolution event of each request, as counts: a request's target lists are never held all at once. */
export async function readResolutionCounts(ledgerPath: string, statusOf: TargetStatusOf): Promise<Map<string, ResolutionCounts>> {
  const byRequest = new Map<string, ResolutionCounts>();
  for await (const event of resolutionEvents(ledgerPath)) byRequest.set(event.requestId, countResolution(event, statusOf));
  return byRequest;
}
