import { setTimeout as sleep } from 'node:timers/promises';
import { isStable, observeFile } from './isStable.js';

const LOOK_EVERY_MS = 250;

/**
 * Waits until the file has not changed for `quietMs` (the rule a file in inbox/ is claimed by),
 * looking every quarter of a second at most. False when stopped first; the file's disappearance
 * ends the wait too (the caller's next look says so).
 */
export async function waitUntilQuiet(path: string, quietMs: number, stop: AbortSignal): Promise<boolean> {
  let previous = await observeFile(path);
  while (!stop.aborted) {
    await sleep(Math.min(quietMs, LOOK_EVERY_MS), undefined, { signal: stop }).catch(() => {});
    if (stop.aborted) break;
    const current = await observeFile(path);
    if (current === undefined || isStable(previous, current, Date.now(), quietMs)) return true;
    previous = current;
  }
  return false;
}
