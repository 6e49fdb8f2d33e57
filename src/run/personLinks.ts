import type { TargetName } from '../ledger/targetTable.js';
import type { SharedTarget } from '../resolve/withSharedTargets.js';

/**
 * The requests of a ledger that name the same person (a shared e-mail, phone or id, by its person
 * digest): the second of two tickets for one person finds nothing once the first has erased it, so
 * what the first was credited with is credited to the second too, whichever ran first and whether
 * or not a crash came in between (the ledger's resolution events hold the digests).
 */
export class PersonLinks {
  readonly #inRun = new Map<string, string[]>();

  constructor(
    /** From the ledger (LedgerState.personDigests): digest → requests holding it. */
    private readonly inLedger: ReadonlyMap<string, readonly string[]>,
    private readonly targetsOf: (requestId: string) => TargetName[],
  ) {}

  /** Makes the request findable by its digests for the requests of this run that come after it. */
  register(requestId: string, digests: Record<string, string>): void {
    for (const digest of Object.values(digests)) {
      const holders = this.#inRun.get(digest);
      if (holders === undefined) this.#inRun.set(digest, [requestId]);
      else if (!holders.includes(requestId)) holders.push(requestId);
    }
  }

  /** What the other requests sharing one of these digests were credited with, each once. */
  shared(requestId: string, digests: Record<string, string>): SharedTarget[] {
    const shared = new Map<string, SharedTarget>();
    for (const [label, digest] of Object.entries(digests)) {
      const others = new Set([...(this.inLedger.get(digest) ?? []), ...(this.#inRun.get(digest) ?? [])]);
      others.delete(requestId);
      for (const other of others) {
        for (const target of this.targetsOf(other)) {
          const key = `${target.kind}:${target.id}`;
          if (!shared.has(key)) shared.set(key, { ...target, request: other, label });
        }
      }
    }
    return [...shared.values()];
  }
}
