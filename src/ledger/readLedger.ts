import { open, type FileHandle } from 'node:fs/promises';
import type { LedgerEvent, ResolutionEvent } from './ledgerEvents.js';
import { emptyLedgerState, MAX_CORRUPT_LINES_KEPT, type LedgerState } from './ledgerState.js';

export type { LedgerState } from './ledgerState.js';

const BLOCK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Replays a JSON Lines ledger, streaming: the last event for a target or request wins. A missing
 * file is an empty ledger. An unreadable last line is a torn write and is ignored; an unreadable
 * line elsewhere is counted in corruptLines and skipped, never thrown.
 */
export async function readLedger(path: string): Promise<LedgerState> {
  const state = emptyLedgerState();
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return state;
    throw error;
  }
  let lineNumber = 0;
  // a bad line is only known not to be the torn last one once another line follows it
  let pendingBadLine = 0;
  const onLine = (bytes: Buffer, start: number, end: number): void => {
    lineNumber += 1;
    if (start === end) return;
    // most lines are targets as the writer lays them out: put without decoding or parsing them
    let applied = state.targets.putLine(bytes, start, end) || readResolutionLine(state, bytes, start, end);
    if (applied) state.events += 1;
    else {
      const line = bytes.toString('utf8', start, end);
      applied = applyLine(state, line);
      if (!applied && line.trim().length === 0) return;
    }
    if (pendingBadLine !== 0) {
      if (state.corruptLines.length < MAX_CORRUPT_LINES_KEPT) state.corruptLines.push(pendingBadLine);
      pendingBadLine = 0;
    }
    if (!applied) pendingBadLine = lineNumber;
  };
  try {
    await forEachLine(handle, onLine);
  } finally {
    await handle.close();
  }
  return state;
}

/**
 * Splits the file on "\n" byte by byte (a "\r" before it is JSON whitespace, so CRLF needs no
 * care; no UTF-8 sequence holds a "\n" byte, so a line decodes alone as it would in the whole text).
 * Hand-rolled rather than node:readline: on a million-line ledger readline alone costs about
 * twice the time of this loop. A line longer than the buffer makes it grow.
 */
async function forEachLine(handle: FileHandle, onLine: (bytes: Buffer, start: number, end: number) => void): Promise<void> {
  let buffer = Buffer.allocUnsafe(BLOCK_BYTES);
  // bytes of an unfinished line, moved to the front of the buffer
  let held = 0;
  let first = true;
  for (;;) {
    if (held === buffer.length) {
      const bigger = Buffer.allocUnsafe(2 * buffer.length);
      buffer.copy(bigger, 0, 0, held);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, held, buffer.length - held, null);
    const bytes = buffer.subarray(0, held + bytesRead);
    let start = 0;
    if (first) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    }
    let end = bytes.indexOf(NEWLINE, Math.max(start, held));
    while (end !== -1) {
      onLine(bytes, start, end);
      start = end + 1;
      end = bytes.indexOf(NEWLINE, start);
    }
    if (bytesRead === 0) {
      if (start < bytes.length) onLine(bytes, start, bytes.length);
      return;
    }
    buffer.copyWithin(0, start, bytes.length);
    held = bytes.length - start;
  }
}

const RESOLUTION_LINE_START = Buffer.from('{"type":"resolution",');
const RESOLUTION_TARGETS = Buffer.from(',"targets":');

/**
 * A resolution event as the writer lays it out. Resuming does not need its evidence, and a request
 * with many targets makes a long line: only what comes before its targets (the request's person
 * digests) is decoded and parsed.
 */
function readResolutionLine(state: LedgerState, bytes: Buffer, start: number, end: number): boolean {
  const length = RESOLUTION_LINE_START.length;
  if (end - start <= length || bytes.compare(RESOLUTION_LINE_START, 0, length, start, start + length) !== 0) return false;
  const targetsAt = bytes.indexOf(RESOLUTION_TARGETS, start);
  if (targetsAt === -1 || targetsAt >= end) return false;
  let head: Pick<ResolutionEvent, 'requestId' | 'identifiers'>;
  try {
    head = JSON.parse(`${bytes.toString('utf8', start, targetsAt)}}`) as ResolutionEvent;
  } catch {
    return false;
  }
  if (typeof head.requestId !== 'string') return false;
  for (const digest of Object.values(head.identifiers ?? {})) {
    const holders = state.personDigests.get(digest);
    if (holders === undefined) state.personDigests.set(digest, [head.requestId]);
    else if (!holders.includes(head.requestId)) holders.push(head.requestId);
  }
  return true;
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
    case 'resolution':
      // the evidence of each request's targets: for a person to read, not needed to resume
      break;
    default:
      // an event type from a later version is not damage: it is read past, not reported
      if (typeof (event as { type?: unknown }).type !== 'string') return false;
  }
  state.events += 1;
  return true;
}
