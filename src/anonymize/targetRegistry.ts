import type { MutationOutcome } from '../api/iadvizeClient.js';
import { targetKey, type TargetEvent, type TargetKind, type TargetStatus } from '../ledger/ledgerEvents.js';
import { TargetTable, type TargetName } from '../ledger/targetTable.js';

export type Anonymize = (kind: TargetKind, id: string) => Promise<MutationOutcome>;

interface TargetRecord {
  kind: TargetKind;
  id: string;
  status: TargetStatus;
  attempts: number;
  requestIds: Set<string>;
  errorName?: string;
  /** Set while a mutation for it is under way, so a second request waits instead of re-sending. */
  sending?: Promise<void>;
}

const DONE: ReadonlySet<TargetStatus> = new Set(['anonymized', 'already_anonymized']);

export function isDone(status: TargetStatus): boolean {
  return DONE.has(status);
}

/**
 * Every target of the run, once: a target reached by several requests is sent once and
 * credited to each; a target an earlier run finished (read from the ledger) is not sent again.
 */
export class TargetRegistry {
  /** Targets this run touched; one an earlier run recorded becomes a record only when touched. */
  private readonly targets = new Map<string, TargetRecord>();
  private readonly previousTargetsByRequest: (requestId: string) => TargetName[];
  /** Targets this run credited to each request, first credit first. */
  private readonly creditedInRun = new Map<string, TargetName[]>();
  /** For the progress line: targets known, and those done. */
  readonly progress = { total: 0, done: 0 };

  /**
   * `previous`: the latest event per target of the ledger (readLedger), read where it is: on a
   * large ledger, copying every target up front would cost more than the rest of the resume.
   */
  constructor(
    private readonly runId: string,
    private readonly record: (event: TargetEvent) => Promise<void>,
    private readonly previous: Pick<TargetTable, 'get' | 'size' | 'statusCounts' | 'targetsByRequest'> = new TargetTable(),
  ) {
    this.progress.total = previous.size;
    for (const [status, count] of Object.entries(previous.statusCounts())) if (isDone(status as TargetStatus)) this.progress.done += count;
    this.previousTargetsByRequest = previous.targetsByRequest();
  }

  /** Anonymizes the target unless done already; credits it to the request either way. */
  async anonymize(kind: TargetKind, id: string, requestId: string, send: Anonymize): Promise<TargetStatus> {
    const target = this.entry(kind, id);
    for (;;) {
      if (target.sending) {
        await target.sending;
        continue;
      }
      if (isDone(target.status)) {
        if (!target.requestIds.has(requestId)) {
          this.credit(target, requestId);
          await this.record(this.toEvent(target));
        }
        return target.status;
      }
      this.credit(target, requestId);
      target.sending = this.send(target, send).finally(() => {
        target.sending = undefined;
      });
      await target.sending;
      // Failed: this request reports it; a request reaching the target later tries again.
      if (!isDone(target.status)) return target.status;
    }
  }

  /** Records the target as planned (dry run) unless an earlier run finished it. */
  async plan(kind: TargetKind, id: string, requestId: string): Promise<TargetStatus> {
    const target = this.entry(kind, id);
    const isNewCredit = !target.requestIds.has(requestId);
    this.credit(target, requestId);
    if (!isDone(target.status)) target.status = 'planned';
    if (isNewCredit || target.status === 'planned') await this.record(this.toEvent(target));
    return target.status;
  }

  status(kind: TargetKind, id: string): TargetStatus | undefined {
    return (this.targets.get(targetKey(kind, id)) ?? this.previous.get(kind, id))?.status;
  }

  /** Targets credited to a request by an earlier run: they stay its targets on resume. */
  previousTargetsOf(requestId: string): TargetName[] {
    return this.previousTargetsByRequest(requestId);
  }

  /** Targets credited to a request by an earlier run or by this one. */
  targetsOf(requestId: string): TargetName[] {
    const earlier = this.previousTargetsByRequest(requestId);
    const now = this.creditedInRun.get(requestId) ?? [];
    if (earlier.length === 0) return [...now];
    const known = new Set(earlier.map((target) => targetKey(target.kind, target.id)));
    return [...earlier, ...now.filter((target) => !known.has(targetKey(target.kind, target.id)))];
  }

  private credit(target: TargetRecord, requestId: string): void {
    if (target.requestIds.has(requestId)) return;
    target.requestIds.add(requestId);
    const credited = this.creditedInRun.get(requestId);
    const name = { kind: target.kind, id: target.id };
    if (credited === undefined) this.creditedInRun.set(requestId, [name]);
    else credited.push(name);
  }

  private async send(target: TargetRecord, send: Anonymize): Promise<void> {
    const outcome = await send(target.kind, target.id);
    if (isDone(outcome.status)) this.progress.done += 1;
    target.attempts += outcome.attempts;
    target.status = outcome.status;
    if (outcome.status === 'failed') target.errorName = outcome.error.code;
    else delete target.errorName;
    await this.record(this.toEvent(target));
  }

  private entry(kind: TargetKind, id: string): TargetRecord {
    const key = targetKey(kind, id);
    let target = this.targets.get(key);
    if (target === undefined) {
      const earlier = this.previous.get(kind, id);
      target = earlier === undefined ? { kind, id, status: 'planned', attempts: 0, requestIds: new Set() } : recordOf(earlier);
      this.targets.set(key, target);
      if (earlier === undefined) this.progress.total += 1;
    }
    return target;
  }

  private toEvent(target: TargetRecord): TargetEvent {
    return {
      type: 'target',
      runId: this.runId,
      kind: target.kind,
      id: target.id,
      status: target.status,
      requestIds: [...target.requestIds],
      attempts: target.attempts,
      ...(target.errorName !== undefined ? { error: { name: target.errorName } } : {}),
    };
  }
}

function recordOf(event: TargetEvent): TargetRecord {
  return {
    kind: event.kind,
    id: event.id,
    status: event.status,
    attempts: event.attempts,
    requestIds: new Set(event.requestIds),
    ...(event.error ? { errorName: event.error.name } : {}),
  };
}
