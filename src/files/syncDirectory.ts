import { open } from 'node:fs/promises';

/**
 * fsync a directory so a file just created or renamed in it survives a power cut: fsync on the
 * file alone makes its contents durable, not its directory entry. Best effort: some platforms
 * (Windows) cannot open a directory for syncing, and there is nothing better to do there.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // see above: durability of the entry is the best we can offer, not a reason to fail the run
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
