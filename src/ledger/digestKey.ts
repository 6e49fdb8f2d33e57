import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from '../files/syncDirectory.js';
import { writeFully } from '../files/writeFully.js';

/** The key the ledger's digests of personal data are made with, and a fingerprint that names it without revealing it. */
export interface DigestKey {
  key: string;
  /** HMAC of a fixed text under the key, 16 hex digits: two ledgers' digests compare only when their key ids do. */
  keyId: string;
}

/** Where a ledger's own digest key lives when IADVIZE_PII_KEY is not set: beside it, never inside it. */
export function digestKeyPath(ledgerPath: string): string {
  return `${ledgerPath}.key`;
}

const KEY_BYTES = 32;

/**
 * IADVIZE_PII_KEY when set; otherwise the key in `keyFile`, made at random (mode 600) the first
 * time. A key kept in the ledger itself would let anyone holding the ledger test guesses against
 * its digests; kept apart, the digests say nothing without it. The caller holds the ledger's lock,
 * so two runs never make two keys.
 */
export async function loadDigestKey(piiKey: string | undefined, keyFile: string): Promise<DigestKey> {
  const key = piiKey ?? (await readOrMakeKey(keyFile));
  return { key, keyId: createHmac('sha256', key).update('iadvize-erasure digest key id').digest('hex').slice(0, 16) };
}

async function readOrMakeKey(keyFile: string): Promise<string> {
  try {
    return (await readFile(keyFile, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(KEY_BYTES).toString('hex');
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const handle = await open(keyFile, 'wx', 0o600);
  try {
    await writeFully(handle, Buffer.from(`${key}\n`, 'utf8'));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(keyFile));
  return key;
}
