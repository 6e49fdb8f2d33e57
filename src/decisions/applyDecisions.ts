import { applySubject } from '../commands/apply.js';
import type { RequestStatus } from '../ledger/ledgerEvents.js';
import type { ApiConnection } from '../run/apiConnection.js';

export interface ApplyDecisionsSettings {
  connection: ApiConnection;
  concurrency?: number;
}

/** The review page's apply button: exactly `apply <subject> --decisions <file>`. */
export async function applyDecisions(
  subjectPath: string,
  decisionsPath: string,
  settings: ApplyDecisionsSettings,
): Promise<{ exitCode: number; requests: Partial<Record<RequestStatus, number>> }> {
  const { exitCode, result } = await applySubject(
    subjectPath,
    { decisions: decisionsPath, ...(settings.concurrency !== undefined ? { concurrency: String(settings.concurrency) } : {}) },
    settings.connection,
  );
  return { exitCode, requests: result.requests };
}
