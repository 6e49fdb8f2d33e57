import type { PersonRequest, ReadOutcome, RequestSource } from './personRequest.js';
import { noIdentifiers, type RowIdentifiers, type ValidatedRow } from './validateRow.js';

type IdentifierList = Exclude<keyof RowIdentifiers, 'receivedAt'>;
const IDENTIFIER_LISTS: readonly IdentifierList[] = ['emails', 'phones', 'searches', 'conversationIds', 'visitorIds'];

/**
 * Gathers the rows of one request: identifiers merged without duplicates, or every bad row's problems.
 * Most requests have one row: its lists are taken as they are, and duplicates are only removed at the
 * end, so that a million one-row requests do not cost six Sets each.
 */
export class RequestAccumulator {
  #identifiers: RowIdentifiers | undefined;
  readonly #problems: { line: number; reason: string }[] = [];

  constructor(
    readonly requestId: string,
    readonly source: RequestSource,
  ) {}

  add(row: ValidatedRow): void {
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
    const { receivedAt } = row.identifiers;
    // toISOString() strings compare in time order
    if (receivedAt !== undefined && (merged.receivedAt === undefined || receivedAt < merged.receivedAt)) merged.receivedAt = receivedAt;
  }

  outcome(): ReadOutcome {
    const { requestId, source } = this;
    if (this.#problems.length > 0) return { kind: 'rejected', rejected: { requestId, source, problems: this.#problems } };
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
    if (identifiers.receivedAt !== undefined) request.receivedAt = identifiers.receivedAt;
    return { kind: 'request', request };
  }
}

/** The values in first-seen order without repeats; the list itself when it has none, as nearly always. */
function distinct(values: string[]): string[] {
  if (values.length < 2) return values;
  const unique = new Set(values);
  return unique.size === values.length ? values : [...unique];
}
