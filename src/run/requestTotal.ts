import type { WorkSource } from './runErasure.js';

/**
 * How many requests the run will resolve, for the progress line: a plan's or the ledger's held ones
 * at once; request files' once each file has been read once (its first pass counts them). Unknown
 * under --shard: which requests are this shard's is learnt only as they are read.
 */
export class RequestTotal {
  #filesLeft: number;
  #counted = 0;

  constructor(source: WorkSource, sharded: boolean) {
    if (sharded) this.#filesLeft = Number.POSITIVE_INFINITY;
    else if (source.kind === 'files') this.#filesLeft = source.files.length;
    else {
      this.#filesLeft = 0;
      this.#counted = source.kind === 'plan' ? source.plan.requests.length : source.requests.length;
    }
  }

  /** A file's first pass counted its requests. */
  readonly fileCounted = (requests: number): void => {
    this.#filesLeft -= 1;
    this.#counted += requests;
  };

  /** The total once every file was counted; undefined before. */
  get value(): number | undefined {
    return this.#filesLeft <= 0 ? this.#counted : undefined;
  }
}
