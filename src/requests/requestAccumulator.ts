import type { ReadOutcome, RequestSource } from './personRequest.js';
import type { ValidatedRow } from './validateRow.js';

/** Gathers the rows of one request: identifiers merged without duplicates, or every bad row's problems. */
export class RequestAccumulator {
  readonly #emails = new Set<string>();
  readonly #phones = new Set<string>();
  readonly #phoneSpellings = new Set<string>();
  readonly #searches = new Set<string>();
  readonly #conversationIds = new Set<string>();
  readonly #visitorIds = new Set<string>();
  #receivedAt: string | undefined;
  readonly #problems: { line: number; reason: string }[] = [];

  constructor(
    readonly requestId: string,
    readonly source: RequestSource,
  ) {}

  add(row: ValidatedRow): void {
    for (const reason of row.problems) this.#problems.push({ line: row.line, reason });
    // once rejected, the identifiers are never used: do not keep them
    if (this.#problems.length > 0) return;
    const { identifiers } = row;
    addAll(this.#emails, identifiers.emails);
    addAll(this.#phones, identifiers.phones);
    addAll(this.#phoneSpellings, identifiers.phoneSpellings);
    addAll(this.#searches, identifiers.searches);
    addAll(this.#conversationIds, identifiers.conversationIds);
    addAll(this.#visitorIds, identifiers.visitorIds);
    // toISOString() strings compare in time order
    if (identifiers.receivedAt !== undefined && (this.#receivedAt === undefined || identifiers.receivedAt < this.#receivedAt)) {
      this.#receivedAt = identifiers.receivedAt;
    }
  }

  outcome(): ReadOutcome {
    const { requestId, source } = this;
    if (this.#problems.length > 0) return { kind: 'rejected', rejected: { requestId, source, problems: this.#problems } };
    return {
      kind: 'request',
      request: {
        requestId,
        source,
        emails: [...this.#emails],
        phones: [...this.#phones],
        phoneSpellings: [...this.#phoneSpellings].filter((spelling) => !this.#phones.has(spelling)),
        searches: [...this.#searches],
        conversationIds: [...this.#conversationIds],
        visitorIds: [...this.#visitorIds],
        ...(this.#receivedAt === undefined ? {} : { receivedAt: this.#receivedAt }),
      },
    };
  }
}

function addAll(target: Set<string>, values: readonly string[]): void {
  for (const value of values) target.add(value);
}
