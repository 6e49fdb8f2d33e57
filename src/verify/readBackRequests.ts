import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { TargetKind } from '../ledger/ledgerEvents.js';
import type { TargetName } from '../ledger/targetTable.js';
import type { Logger } from '../logging/createLogger.js';
import type { ReadBackEntry } from './planReadBack.js';
import { readBackTarget, type ReadBackState } from './readBackTarget.js';
import type { ReadBackCounts } from './verification.js';

export interface ReadBackOptions {
  client: IadvizeClient;
  projectIds: number[];
  /** Targets read at once; the client caps the calls in flight. */
  window: number;
  /** How long to wait before reading again a target not yet erased (`--recheck-after`). */
  recheckAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
}

/** A request's read-back, as withReadBack.ts merges it into its verification. */
export interface RequestReadBack extends ReadBackCounts {
  /** Targets its search found that read back empty after the re-check: their erasure finished meanwhile. */
  cleared: TargetName[];
  /** The code of an API error that kept one of its targets from being read back. */
  failedCode?: string;
}

interface Reading {
  kind: TargetKind;
  id: string;
  interval: { from: string; to: string };
  /** Found by a search after the ledger called it erased: read only after the wait. */
  found: boolean;
  state?: ReadBackState;
  failedCode?: string;
}

/**
 * Reads back every target of the entries, once each however many requests share it. The article says
 * the mutations "start" the anonymization, so what reads back not empty, and what a search still found
 * although the ledger holds it as erased, is read (again) after `recheckAfterMs` (one wait for all of
 * them) before it is called remaining. A refused token ends verification (rethrown); any other API
 * error leaves that target not read.
 */
export async function readBackRequests(entries: readonly ReadBackEntry[], options: ReadBackOptions): Promise<Map<string, RequestReadBack>> {
  const readings = new Map<string, Reading>();
  const readingOf = (kind: TargetKind, id: string, interval: { from: string; to: string }): Reading => {
    const key = `${kind}:${id}`;
    const known = readings.get(key);
    if (known !== undefined) {
      known.interval = widest(known.interval, interval);
      return known;
    }
    const reading: Reading = { kind, id, interval: { ...interval }, found: false };
    readings.set(key, reading);
    return reading;
  };
  for (const entry of entries) {
    for (const { kind, id } of entry.targets) readingOf(kind, id, entry.interval);
    for (const { kind, id } of entry.found) readingOf(kind, id, entry.interval).found = true;
  }
  await readAll(
    [...readings.values()].filter((reading) => !reading.found),
    options,
  );
  const recheck = [...readings.values()].filter((reading) => reading.found || reading.state === 'not_empty');
  if (recheck.length > 0) {
    options.logger.info({ targets: recheck.length, recheckAfterSeconds: options.recheckAfterMs / 1000 }, 'not erased yet: re-checking after the delay');
    await options.sleep(options.recheckAfterMs);
    await readAll(recheck, options);
  }

  const byRequest = new Map<string, RequestReadBack>();
  for (const entry of entries) {
    const counts: RequestReadBack = { profilesEmpty: 0, conversationsEmpty: 0, notRead: 0, remaining: [], cleared: [] };
    for (const { kind, id } of entry.targets) {
      const reading = readings.get(`${kind}:${id}`)!;
      if (reading.state === 'empty') {
        if (kind === 'visitor') counts.profilesEmpty += 1;
        else counts.conversationsEmpty += 1;
      } else if (reading.state === 'not_empty') {
        counts.remaining.push({ kind, id });
        options.logger.warn({ requestId: entry.requestId, kind, id }, 'read back not empty after the re-check');
      } else {
        counts.notRead += 1;
        if (reading.failedCode !== undefined) counts.failedCode ??= reading.failedCode;
      }
    }
    counts.cleared = entry.found.filter(({ kind, id }) => readings.get(`${kind}:${id}`)!.state === 'empty');
    byRequest.set(entry.requestId, counts);
  }
  return byRequest;
}

async function readAll(readings: Reading[], options: ReadBackOptions): Promise<void> {
  let next = 0;
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (fatal === undefined && next < readings.length) {
      const reading = readings[next++]!;
      try {
        reading.state = await readBackTarget(reading.kind, reading.id, { client: options.client, interval: reading.interval, projectIds: options.projectIds });
        delete reading.failedCode;
      } catch (error) {
        if (!(error instanceof ApiError) || error.kind === 'unauthorized') {
          fatal ??= error;
          return;
        }
        delete reading.state;
        reading.failedCode = error.code;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.window, readings.length)) }, worker));
  if (fatal !== undefined) throw fatal;
}

/** The interval covering both: a target two requests share is read over the longer search. */
function widest(a: { from: string; to: string }, b: { from: string; to: string }): { from: string; to: string } {
  return {
    from: Date.parse(b.from) < Date.parse(a.from) ? b.from : a.from,
    to: Date.parse(b.to) > Date.parse(a.to) ? b.to : a.to,
  };
}
