import { open } from 'node:fs/promises';
import type { LedgerEvent } from './ledgerEvents.js';
import { emptyLedgerState, MAX_CORRUPT_LINES_KEPT, type LedgerState } from './ledgerState.js';

export type { LedgerState } from './ledgerState.js';

/**
 * Replays a JSON Lines ledger, streaming: the last event for a target or request wins. A missing
 * file is an empty ledger. An unreadable last line is a torn write and is ignored; an unreadable
 * line elsewhere is counted in corruptLines and skipped, never thrown.
 */
export async function readLedger(path: string): Promise<LedgerState> {
  const state = emptyLedgerState();
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return state;
    throw error;
  }
  let lineNumber = 0;
  // a bad line is only known not to be the torn last one once another line follows it
  let pendingBadLine = 0;
  const onLine = (line: string): void => {
    lineNumber += 1;
    if (line.length === 0) return;
    const applied = applyLine(state, line);
    if (!applied && line.trim().length === 0) return;
    if (pendingBadLine !== 0) {
      if (state.corruptLines.length < MAX_CORRUPT_LINES_KEPT) state.corruptLines.push(pendingBadLine);
      pendingBadLine = 0;
    }
    if (!applied) pendingBadLine = lineNumber;
  };
  // closes the handle once read (autoClose)
  const stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    await forEachLine(stream, onLine);
  } finally {
    stream.destroy();
  }
  return state;
}

/**
 * Splits a text stream on "\n" (a "\r" before it is JSON whitespace, so CRLF needs no care).
 * Hand-rolled rather than node:readline: on a million-line ledger readline alone costs about
 * twice the time of this loop.
 */
async function forEachLine(chunks: AsyncIterable<string>, onLine: (line: string) => void): Promise<void> {
  // pieces of a line that spans chunks, joined once its end arrives (no repeated re-concatenation)
  let partial: string[] = [];
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    let end = chunk.indexOf('\n');
    if (partial.length > 0) {
      if (end === -1) {
        partial.push(chunk);
        continue;
      }
      partial.push(chunk.slice(0, end));
      onLine(partial.join(''));
      partial = [];
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    while (end !== -1) {
      onLine(chunk.slice(start, end));
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) partial.push(chunk.slice(start));
  }
  if (partial.length > 0) onLine(partial.join(''));
}

/** False when the line is not an event this ledger can hold. */
function applyLine(state: LedgerState, line: string): boolean {
  let event: LedgerEvent;
  try {
    event = JSON.parse(line) as LedgerEvent;
  } catch {
    return false;
  }
  if (event === null || typeof event !== 'object') return false;
  switch (event.type) {
    case 'target':
      if (typeof event.id !== 'string' || !state.targets.put(event)) return false;
      break;
    case 'request':
      if (typeof event.requestId !== 'string') return false;
      state.requests.set(event.requestId, event);
      break;
    case 'run':
      state.runs.push(event);
      break;
    case 'summary':
      state.summaries.push(event);
      break;
    default:
      // an event type from a later version is not damage: it is read past, not reported
      if (typeof (event as { type?: unknown }).type !== 'string') return false;
  }
  state.events += 1;
  return true;
}
