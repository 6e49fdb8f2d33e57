import { open } from 'node:fs/promises';
import { readLedger } from '../ledger/readLedger.js';
import type { InputSnapshot } from './inputSnapshot.js';

/**
 * The requests of the last row an earlier run read, when the content it read did not end with a
 * line break: the writer's pause may have cut that row, so what the run searched was a truncated
 * value. Settled or not, they are resolved again on the new content, rather than skipped as a
 * resume skips what an earlier run completed. Empty when the content ended on a line break.
 */
export async function requestsOfTornLastRow(input: string, previous: InputSnapshot, ledgerPath: string): Promise<Set<string>> {
  if (previous.size === 0 || (await byteAt(input, previous.size - 1)) === 0x0a) return new Set();
  const { requests } = await readLedger(ledgerPath);
  let lastLine = 0;
  for (const event of requests.values()) lastLine = Math.max(lastLine, event.source.line);
  return new Set([...requests.values()].filter((event) => event.source.line === lastLine && lastLine > 0).map((event) => event.requestId));
}

async function byteAt(path: string, position: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, position);
    return bytesRead === 1 ? byte[0] : undefined;
  } finally {
    await handle.close();
  }
}
