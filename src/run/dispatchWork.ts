import type { PersonRequest } from '../requests/personRequest.js';
import { requestIdOf, type Work } from './runWork.js';
import { inShard, type Shard } from './shard.js';

export interface DispatchOptions {
  /** Pieces of work in flight at most. */
  window: number;
  shard?: Shard;
  /** True once the run halts (a fatal error, a stop): no new work starts. */
  halted: () => boolean;
  /** A piece of work that threw; the run decides whether it halts. */
  onError: (error: unknown) => void;
}

// Requests read but not started, started oldest received first (GDPR deadlines) in batches
// that bound memory: any file of up to REORDER_BATCH requests is fully in order.
const REORDER_BATCH = 10_000;

/**
 * Runs `handle` over the run's work, `window` at a time, this shard's only; requests start oldest
 * received first within each batch, rejected rows and planned requests as they come. Returns once
 * every piece started has ended.
 */
export async function dispatchWork(works: AsyncIterable<Work>, handle: (work: Work) => Promise<void>, options: DispatchOptions): Promise<void> {
  const { window, shard, halted } = options;
  const active = new Set<Promise<void>>();
  /** Starts one piece once a place frees up in the window; false when the run is halting. */
  const dispatch = async (work: Work): Promise<boolean> => {
    while (active.size >= window) await Promise.race(active);
    if (halted()) return false;
    const task: Promise<void> = handle(work)
      .catch(options.onError)
      .finally(() => active.delete(task));
    active.add(task);
    return true;
  };
  const pending: PersonRequest[] = [];
  const startPending = async (): Promise<boolean> => {
    for (const request of pending.splice(0).sort(oldestReceivedFirst)) {
      if (!(await dispatch({ kind: 'request', request }))) return false;
    }
    return true;
  };

  for await (const work of works) {
    if (halted()) break;
    if (shard !== undefined && !inShard(requestIdOf(work), shard)) continue;
    if (work.kind === 'request') {
      pending.push(work.request);
      if (pending.length >= REORDER_BATCH && !(await startPending())) break;
    } else if (!(await dispatch(work))) break;
  }
  if (!halted()) await startPending();
  await Promise.all(active);
}

/** Unknown receipt dates first: nothing shows they are not overdue. Stable: file order among equals. */
function oldestReceivedFirst(a: PersonRequest, b: PersonRequest): number {
  if (a.receivedAt === b.receivedAt) return 0;
  if (a.receivedAt === undefined) return -1;
  if (b.receivedAt === undefined) return 1;
  return a.receivedAt < b.receivedAt ? -1 : 1;
}
