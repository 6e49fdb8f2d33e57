import { rename } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Moves inbox/<name> to processing/<timestamp>-<name>. rename is atomic: of two watchers, one
 * gets the file and the other ENOENT, which returns undefined here.
 */
export async function claimFile(inbox: string, processing: string, name: string, nowMs: number): Promise<string | undefined> {
  const claimed = `${new Date(nowMs).toISOString().replace(/[-:.]/g, '')}-${process.pid}-${name}`;
  try {
    await rename(join(inbox, name), join(processing, claimed));
    return claimed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
