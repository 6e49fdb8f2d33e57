import type { PersonRequest, ReadOutcome, RejectedRequest, RequestSource } from './personRequest.js';
import { noIdentifiers, type RowIdentifiers, type ValidatedRow } from './validateRow.js';

type IdentifierList = Exclude<keyof RowIdentifiers, 'receivedAt' | 'receivedAtUnreadable'>;
const IDENTIFIER_LISTS: readonly IdentifierList[] = ['emails', 'phones', 'searches', 'conversationIds', 'visitorIds'];

/**
 * Gathers the rows of one request: identifiers merged without duplicates, or every bad row's problems.
 * Most requests have one row: its lists are taken as they are, and duplicates are only removed at the
 * end, so that a million one-row requests do not cost six Sets each.
 */
export class RequestAccumulator {
  #identifiers: RowIdentifiers | undefined;
  readonly #problems: { line: number; reason: string }[] = [];
  #receivedAt: string | undefined;
  #receivedAtUnreadable = false;

  constructor(
    readonly requestId: string,
    readonly source: RequestSource,
  ) {}

  add(row: ValidatedRow): void {
    this.#addReceivedAt(row.identifiers);
    for (const reason of row.problems) this.#problems.push({ line: row.line, reason });
    // once rejected, the identifiers are never used: do not keep them
    if (this.#problems.length > 0) {
      this.#identifiers = undefined;
      return;
    }
    const merged = this.#identifiers;
    if (merged === undefined) {
      this.#identifiers = row.identifiers;
      return;
    }
    for (const list of IDENTIFIER_LISTS) merged[list].push(...row.identifiers[list]);
  }

  /** The earliest date of the rows; unknown if any row's cannot be read, since it might be the earliest. */
  #addReceivedAt({ receivedAt, receivedAtUnreadable }: RowIdentifiers): void {
    if (receivedAtUnreadable === true) this.#receivedAtUnreadable = true;
    // toISOString() strings compare in time order
    if (receivedAt !== undefined && (this.#receivedAt === undefined || receivedAt < this.#receivedAt)) this.#receivedAt = receivedAt;
  }

  outcome(): ReadOutcome {
    const { requestId, source } = this;
    if (this.#problems.length > 0) {
      const rejected: RejectedRequest = { requestId, source, problems: this.#problems };
      return { kind: 'rejected', rejected: this.#withReceivedAt(rejected) };
    }
    const identifiers = this.#identifiers ?? noIdentifiers();
    const request: PersonRequest = {
      requestId,
      source,
      emails: distinct(identifiers.emails),
      phones: distinct(identifiers.phones),
      searches: distinct(identifiers.searches),
      conversationIds: distinct(identifiers.conversationIds),
      visitorIds: distinct(identifiers.visitorIds),
    };
    return { kind: 'request', request: this.#withReceivedAt(request) };
  }

  #withReceivedAt<T extends { receivedAt?: string; receivedAtUnreadable?: true }>(request: T): T {
    if (this.#receivedAtUnreadable) request.receivedAtUnreadable = true;
    else if (this.#receivedAt !== undefined) request.receivedAt = this.#receivedAt;
    return request;
  }
}

/** The values in first-seen order without repeats; the list itself when it has none, as nearly always. */
function distinct(values: string[]): string[] {
  if (values.length < 2) return values;
  const unique = new Set(values);
  return unique.size === values.length ? values : [...unique];
}
