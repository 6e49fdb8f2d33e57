import type { LedgerState } from '../ledger/ledgerState.js';
import type { RequestEvent, RequestStatus } from '../ledger/ledgerEvents.js';

/** What a request read from a file is, as far as telling it from another with the same id goes. */
export interface RequestContent {
  /** The request_id as the file gives it (or as derived from the file and line). */
  requestId: string;
  /** contentDigest of an accepted request; undefined for a rejected one, whose identifiers were never read. */
  digest?: string;
  /** Where its first row is, and the SHA-256 of that file: a rejected request is the same when these are. */
  source: { file: string; line: number };
  sourceSha256?: string;
  /** 8 hex digits that tell this request from another with the same id: from its digest, or its file and line. */
  discriminator: string;
}

export type IdentityDecision = { action: 'skip'; requestId: string; status: RequestStatus } | { action: 'process'; requestId: string; note?: string };

// An earlier outcome these statuses settle is not resolved again for the same request: its targets,
// once anonymized, no longer match, so a second resolution would wrongly say no_match.
const SETTLED: ReadonlySet<RequestStatus> = new Set(['completed', 'no_match']);

/**
 * Decides under which id a request of this run is processed, or whether an earlier run settled it
 * (docs/design.md#request-identity). A request is the same request as an earlier one only if its
 * content is: an id alone never makes a request skipped, merged or overwritten.
 * - The same id and content, settled earlier: skipped, unless projects were added since (it was
 *   never searched there).
 * - The same id, earlier `rejected`: the new one takes the id (a corrected file); nothing was done.
 * - The same id and other content, or an id another input of this run already used: processed under
 *   `<id>~<8 hex>`, so that both outcomes stand; the event's reason and `fileRequestId` say so.
 */
export class RequestIdentities {
  readonly #seenInRun = new Set<string>();
  readonly #runs: Map<string, { keyId?: string | undefined; projectIds: readonly number[]; inputs: Map<string, string> }>;

  constructor(
    private readonly previous: Pick<LedgerState, 'requests' | 'runs'>,
    private readonly keyId: string,
    private readonly projectIds: readonly number[],
  ) {
    this.#runs = new Map(
      previous.runs.map((run) => [
        run.runId,
        {
          keyId: run.digestKeyId,
          projectIds: Array.isArray(run.options.projectIds) ? (run.options.projectIds as number[]) : [],
          inputs: new Map(run.inputs.map((input) => [input.file, input.sha256])),
        },
      ]),
    );
  }

  /** A plan's request: plans hold ids only, checked against their own files, so an earlier outcome under its id settles it. */
  decideById(requestId: string): IdentityDecision {
    this.#seenInRun.add(requestId);
    const earlier = this.previous.requests.get(requestId);
    if (earlier !== undefined && SETTLED.has(earlier.status)) return { action: 'skip', requestId, status: earlier.status };
    return { action: 'process', requestId };
  }

  /** `supersede`: the earlier outcome under this id came from a cut row (watch): the new content takes the id. */
  decide(content: RequestContent, supersede = false): IdentityDecision {
    let requestId = content.requestId;
    let note: string | undefined;
    if (this.#seenInRun.has(requestId)) {
      requestId = this.#unusedInRun(`${content.requestId}~${content.discriminator}`);
      note = `request_id ${content.requestId} is used by another input of this run too; recorded as ${requestId}`;
    }
    let earlier = this.previous.requests.get(requestId);
    if (supersede) {
      this.#seenInRun.add(requestId);
      return { action: 'process', requestId, ...(note !== undefined ? { note } : {}) };
    }
    if (earlier !== undefined && earlier.status !== 'rejected' && this.#sameContent(earlier, content) === false) {
      const renamed = this.#unusedInRun(`${content.requestId}~${content.discriminator}`);
      note = `request_id ${content.requestId} was used in this ledger for a different request; recorded as ${renamed}`;
      requestId = renamed;
      earlier = this.previous.requests.get(requestId);
    }
    if (earlier !== undefined && SETTLED.has(earlier.status) && this.#sameContent(earlier, content) !== false) {
      this.#seenInRun.add(requestId);
      if (!this.#projectsAddedSince(earlier)) return { action: 'skip', requestId, status: earlier.status };
      note = 'projects were added since this request was settled: searched again in every project';
    }
    this.#seenInRun.add(requestId);
    return { action: 'process', requestId, ...(note !== undefined ? { note } : {}) };
  }

  /**
   * True or false when the two can be compared; undefined when they cannot (an event from before
   * digests, or made under another key), which counts as the same, as ids alone did before.
   */
  #sameContent(earlier: RequestEvent, content: RequestContent): boolean | undefined {
    const run = this.#runs.get(earlier.runId);
    if (content.digest === undefined) {
      const earlierSha = run?.inputs.get(earlier.source.file);
      return earlier.source.file === content.source.file && earlier.source.line === content.source.line && earlierSha === content.sourceSha256;
    }
    if (earlier.contentDigest === undefined || run?.keyId !== this.keyId) return undefined;
    return earlier.contentDigest === content.digest;
  }

  #projectsAddedSince(earlier: RequestEvent): boolean {
    const searched = this.#runs.get(earlier.runId)?.projectIds;
    return searched !== undefined && searched.length > 0 && this.projectIds.some((projectId) => !searched.includes(projectId));
  }

  #unusedInRun(candidate: string): string {
    let id = candidate;
    for (let n = 2; this.#seenInRun.has(id); n++) id = `${candidate}-${n}`;
    return id;
  }
}
