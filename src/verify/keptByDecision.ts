import type { LedgerState } from '../ledger/ledgerState.js';
import { readResolutions } from '../ledger/readResolutions.js';

/** The UUIDs each request decided with keeps (its latest event has `kept`) kept, from the deciding run's resolution event. */
export async function keptByDecision(ledgerPath: string, state: Pick<LedgerState, 'requests'>): Promise<Map<string, Set<string>>> {
  const decided = new Map([...state.requests.values()].filter((event) => event.kept !== undefined).map((event) => [event.requestId, event.runId]));
  if (decided.size === 0) return new Map();
  const resolutions = await readResolutions(ledgerPath, decided);
  return new Map(
    [...resolutions].map(([requestId, resolution]) => [
      requestId,
      new Set(resolution.targets.filter((target) => target.decision?.decision === 'keep').map((target) => target.id)),
    ]),
  );
}
