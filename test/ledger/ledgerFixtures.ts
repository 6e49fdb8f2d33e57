import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestEvent, TargetEvent } from '../../src/ledger/ledgerEvents.js';

export const RUN_ID = '7f0c2a9e-1d43-4e8b-9a51-0c6b2f3e4d5a';

export function targetEvent(id: string, changes: Partial<TargetEvent> = {}): TargetEvent {
  return { type: 'target', runId: RUN_ID, kind: 'conversation', id, status: 'planned', requestIds: ['REQ-1'], attempts: 0, ...changes };
}

export function requestEvent(requestId: string, changes: Partial<RequestEvent> = {}): RequestEvent {
  return {
    type: 'request',
    runId: RUN_ID,
    requestId,
    status: 'planned',
    source: { file: 'requests.csv', line: 2 },
    conversations: 0,
    visitors: 0,
    ...changes,
  };
}

/** A deterministic UUID-shaped id, so failures name the same target on every run. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
