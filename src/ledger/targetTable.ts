import type { TargetEvent, TargetKind } from './ledgerEvents.js';

/**
 * The latest event of each target, by kind and id. One map per kind, keyed by the bare id: on a
 * million-event ledger, building a "kind:id" key for every line costs a tenth of the replay.
 */
export class TargetTable {
  private readonly byKind: Record<TargetKind, Map<string, TargetEvent>> = { conversation: new Map(), visitor: new Map() };

  /** Records the event as its target's latest; false for a kind this version does not know. */
  put(event: TargetEvent): boolean {
    const map = this.byKind[event.kind];
    if (map === undefined) return false;
    map.set(event.id, event);
    return true;
  }

  get(kind: TargetKind, id: string): TargetEvent | undefined {
    return this.byKind[kind]?.get(id);
  }

  get size(): number {
    return this.byKind.conversation.size + this.byKind.visitor.size;
  }

  /** Conversations, then visitors. */
  *values(): IterableIterator<TargetEvent> {
    yield* this.byKind.conversation.values();
    yield* this.byKind.visitor.values();
  }
}
