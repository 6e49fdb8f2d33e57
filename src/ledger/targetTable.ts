import type { TargetEvent, TargetKind, TargetStatus } from './ledgerEvents.js';
import { InternedStrings } from './internedStrings.js';
import { emptyTargetLineFields, scanTargetLine, TARGET_KINDS, TARGET_STATUSES } from './scanTargetLine.js';
import { UuidRowIndex } from './uuidRowIndex.js';
import { readUuidWords, UUID_WORDS, uuidText } from './uuidWords.js';

const KINDS: readonly TargetKind[] = TARGET_KINDS;
const STATUSES: readonly TargetStatus[] = TARGET_STATUSES;

// Row flags. A row's event is kept whole (the object put) when its id is not a lower-case UUID
// or it holds what the columns cannot say exactly (a field or status this version does not know).
const WHOLE = 1;
const HAS_ERROR = 2;
const SEVERAL_REQUESTS = 4;
const NO_REQUEST = -1;
const INITIAL_ROWS = 1024;

/** A target by kind and id, as a request's earlier targets are given back. */
export interface TargetName {
  kind: TargetKind;
  id: string;
}

/**
 * The latest event of each target, by kind and id. Held in columns of typed arrays, one row per
 * target: on resume a million-event ledger names about half a million targets, and one object
 * per target (a parsed event, a Map entry) cost as much in lookups and garbage collection as
 * parsing the lines. Events are rebuilt when asked for: the caller gets objects equal to those
 * put, not the same ones.
 */
export class TargetTable {
  private rows = 0;
  private capacity = INITIAL_ROWS;
  private kinds = new Uint8Array(INITIAL_ROWS);
  private flags = new Uint8Array(INITIAL_ROWS);
  private statuses = new Uint8Array(INITIAL_ROWS);
  private attempts = new Uint32Array(INITIAL_ROWS);
  private runs = new Uint32Array(INITIAL_ROWS);
  /** The only request id's number, or NO_REQUEST (none, or several: see severalRequests). */
  private requests = new Int32Array(INITIAL_ROWS);
  private uuids = new Uint32Array(INITIAL_ROWS * UUID_WORDS);
  private readonly index = new UuidRowIndex();
  private readonly key = new Uint32Array(UUID_WORDS);
  private readonly lineFields = emptyTargetLineFields();
  /** Rows of targets whose id is not a lower-case UUID, per kind. */
  private readonly textIds: [Map<unknown, number>, Map<unknown, number>] = [new Map(), new Map()];
  private readonly wholeEvents = new Map<number, TargetEvent>();
  private readonly errorNames = new Map<number, string>();
  private readonly severalRequests = new Map<number, string[]>();
  private readonly runIds = new InternedStrings();
  private readonly requestIds = new InternedStrings();

  /** Records the event as its target's latest; false for a kind this version does not know. */
  put(event: TargetEvent): boolean {
    const kind = kindNumber(event.kind);
    if (kind < 0) return false;
    const id: unknown = event.id;
    const isUuid = typeof id === 'string' && id.length === 36 && readUuidWords(id, 0, this.key, 0);
    let row: number;
    if (isUuid) row = this.uuidRow(kind, this.key);
    else {
      const rows = this.textIds[kind]!;
      const known = rows.get(id);
      if (known === undefined) {
        row = this.addRow(kind, WHOLE);
        rows.set(id, row);
      } else row = known;
    }
    if (!isUuid || !this.putColumns(row, event)) this.putWhole(row, event);
    return true;
  }

  /**
   * Puts the target of the line at `bytes[start..end)` when it is in the ledger writer's own layout,
   * without decoding or parsing it (scanTargetLine); false for any other line, which the caller
   * parses and puts.
   */
  putLine(bytes: Buffer, start: number, end: number): boolean {
    const fields = this.lineFields;
    if (!scanTargetLine(bytes, start, end, fields)) return false;
    const row = this.uuidRow(fields.kind, fields.id);
    const requestIds = fields.requestIds;
    let request = NO_REQUEST;
    let several: string[] | undefined;
    if (requestIds.length === 2) request = this.requestIds.numberOfAscii(bytes, requestIds[0]!, requestIds[1]!);
    else if (requestIds.length > 2) {
      several = [];
      for (let i = 0; i < requestIds.length; i += 2) several.push(bytes.toString('latin1', requestIds[i], requestIds[i + 1]));
    }
    const errorName = fields.errorNameStart < 0 ? undefined : bytes.toString('latin1', fields.errorNameStart, fields.errorNameEnd);
    this.writeColumns(row, fields.status, fields.attempts, this.runIds.numberOfAscii(bytes, fields.runIdStart, fields.runIdEnd), request, several, errorName);
    return true;
  }

  get(kind: TargetKind, id: string): TargetEvent | undefined {
    const row = this.rowOf(kind, id);
    return row < 0 ? undefined : this.eventAt(row);
  }

  get size(): number {
    return this.rows;
  }

  /** Conversations, then visitors, each in the order first put. */
  *values(): IterableIterator<TargetEvent> {
    for (let kind = 0; kind < KINDS.length; kind += 1) {
      for (let row = 0; row < this.rows; row += 1) if (this.kinds[row] === kind) yield this.eventAt(row);
    }
  }

  /** How many targets are in each status: what counting over values() gives, keys in the same order. */
  statusCounts(): Partial<Record<TargetStatus, number>> {
    const counts: Partial<Record<TargetStatus, number>> = {};
    for (let kind = 0; kind < KINDS.length; kind += 1) {
      for (let row = 0; row < this.rows; row += 1) {
        if (this.kinds[row] !== kind) continue;
        const status = this.flags[row]! & WHOLE ? this.wholeEvents.get(row)!.status : STATUSES[this.statuses[row]!]!;
        counts[status] = (counts[status] ?? 0) + 1;
      }
    }
    return counts;
  }

  /**
   * The targets each request id is credited with, in values() order (a target listing a request
   * id twice is given twice). A snapshot: later puts are not seen. Built with two passes over the
   * columns into one typed array, not a list per request.
   */
  targetsByRequest(): (requestId: string) => TargetName[] {
    // number the request ids only found outside the columns first, so the counts can be sized
    for (let row = 0; row < this.rows; row += 1)
      if (this.flags[row]! & (WHOLE | SEVERAL_REQUESTS)) for (const requestId of this.listedRequestIds(row)) this.requestIds.numberOf(requestId);
    const starts = new Int32Array(this.requestIds.size + 1);
    this.forEachCredit((request) => {
      starts[request + 1]! += 1;
    });
    for (let request = 0; request < this.requestIds.size; request += 1) starts[request + 1]! += starts[request]!;
    const rows = new Int32Array(starts[this.requestIds.size]!);
    const filled = starts.slice(0, this.requestIds.size);
    this.forEachCredit((request, row) => {
      rows[filled[request]!] = row;
      filled[request]! += 1;
    });
    return (requestId) => {
      const request = this.requestIds.find(requestId);
      if (request === undefined) return [];
      const names: TargetName[] = [];
      for (let at = starts[request]!; at < starts[request + 1]!; at += 1) names.push(this.nameAt(rows[at]!));
      return names;
    };
  }

  private forEachCredit(credit: (request: number, row: number) => void): void {
    for (let kind = 0; kind < KINDS.length; kind += 1) {
      for (let row = 0; row < this.rows; row += 1) {
        if (this.kinds[row] !== kind) continue;
        if (this.flags[row]! & (WHOLE | SEVERAL_REQUESTS)) {
          for (const requestId of this.listedRequestIds(row)) credit(this.requestIds.numberOf(requestId), row);
        } else if (this.requests[row] !== NO_REQUEST) credit(this.requests[row]!, row);
      }
    }
  }

  /** The request ids of a row outside the columns that can be asked for (strings). */
  private listedRequestIds(row: number): string[] {
    const listed = this.flags[row]! & WHOLE ? this.wholeEvents.get(row)!.requestIds : this.severalRequests.get(row)!;
    return Array.isArray(listed) ? listed.filter((requestId) => typeof requestId === 'string') : [];
  }

  private rowOf(kind: TargetKind, id: string): number {
    const kindNo = kindNumber(kind);
    if (kindNo < 0) return -1;
    if (typeof id === 'string' && id.length === 36 && readUuidWords(id, 0, this.key, 0)) return this.index.find(kindNo, this.key, 0);
    return this.textIds[kindNo]!.get(id) ?? -1;
  }

  /** The row of the target with these UUID words, added if new. */
  private uuidRow(kind: number, words: Uint32Array): number {
    const row = this.index.findOrAdd(kind, words, 0, this.rows);
    if (row >= 0) return row;
    const added = this.addRow(kind, 0);
    this.uuids.set(words, added * UUID_WORDS);
    return added;
  }

  private addRow(kind: number, flags: number): number {
    if (this.rows === this.capacity) this.grow();
    const row = this.rows;
    this.rows += 1;
    this.kinds[row] = kind;
    this.flags[row] = flags;
    return row;
  }

  /** Writes the event into the columns; false, writing nothing, if they cannot hold it exactly. */
  private putColumns(row: number, event: TargetEvent): boolean {
    const status = STATUSES.indexOf(event.status);
    const { runId, requestIds, attempts, error } = event;
    if (event.type !== 'target' || status < 0 || typeof runId !== 'string' || !isCount(attempts) || !Array.isArray(requestIds)) return false;
    for (let i = 0; i < requestIds.length; i += 1) if (typeof requestIds[i] !== 'string') return false;
    if (error !== undefined && !isErrorName(error)) return false;
    // a field this version does not know must survive a rewrite of the event (verify reopens targets)
    if (Object.keys(event).length !== (error === undefined ? 7 : 8)) return false;

    const request = requestIds.length === 1 ? this.requestIds.numberOf(requestIds[0]!) : NO_REQUEST;
    this.writeColumns(row, status, attempts, this.runIds.numberOf(runId), request, requestIds.length > 1 ? [...requestIds] : undefined, error?.name);
    return true;
  }

  private writeColumns(
    row: number,
    status: number,
    attempts: number,
    run: number,
    request: number,
    several: string[] | undefined,
    errorName: string | undefined,
  ): void {
    let flags = 0;
    this.statuses[row] = status;
    this.attempts[row] = attempts;
    this.runs[row] = run;
    this.requests[row] = request;
    if (several !== undefined) {
      flags |= SEVERAL_REQUESTS;
      this.severalRequests.set(row, several);
    }
    if (errorName !== undefined) {
      flags |= HAS_ERROR;
      this.errorNames.set(row, errorName);
    }
    this.setFlags(row, flags);
  }

  private putWhole(row: number, event: TargetEvent): void {
    this.wholeEvents.set(row, event);
    this.setFlags(row, WHOLE);
  }

  /** Sets the row's flags, dropping what it kept outside the columns and no longer needs. */
  private setFlags(row: number, flags: number): void {
    const dropped = this.flags[row]! & ~flags;
    if (dropped & WHOLE) this.wholeEvents.delete(row);
    if (dropped & HAS_ERROR) this.errorNames.delete(row);
    if (dropped & SEVERAL_REQUESTS) this.severalRequests.delete(row);
    this.flags[row] = flags;
  }

  private eventAt(row: number): TargetEvent {
    const flags = this.flags[row]!;
    if (flags & WHOLE) return this.wholeEvents.get(row)!;
    const request = this.requests[row]!;
    const event: TargetEvent = {
      type: 'target',
      runId: this.runIds.at(this.runs[row]!),
      kind: KINDS[this.kinds[row]!]!,
      id: uuidText(this.uuids, row * UUID_WORDS),
      status: STATUSES[this.statuses[row]!]!,
      requestIds: flags & SEVERAL_REQUESTS ? [...this.severalRequests.get(row)!] : request === NO_REQUEST ? [] : [this.requestIds.at(request)],
      attempts: this.attempts[row]!,
    };
    if (flags & HAS_ERROR) event.error = { name: this.errorNames.get(row)! };
    return event;
  }

  private nameAt(row: number): TargetName {
    if (this.flags[row]! & WHOLE) {
      const { kind, id } = this.wholeEvents.get(row)!;
      return { kind, id };
    }
    return { kind: KINDS[this.kinds[row]!]!, id: uuidText(this.uuids, row * UUID_WORDS) };
  }

  private grow(): void {
    this.capacity *= 2;
    this.kinds = grown(this.kinds, this.capacity);
    this.flags = grown(this.flags, this.capacity);
    this.statuses = grown(this.statuses, this.capacity);
    this.attempts = grown(this.attempts, this.capacity);
    this.runs = grown(this.runs, this.capacity);
    this.requests = grown(this.requests, this.capacity);
    this.uuids = grown(this.uuids, this.capacity * UUID_WORDS);
  }
}

function kindNumber(kind: unknown): number {
  return kind === 'conversation' ? 0 : kind === 'visitor' ? 1 : -1;
}

/** A count the Uint32 column gives back unchanged (-0 would come back as 0). */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff && !Object.is(value, -0);
}

function isErrorName(error: unknown): error is { name: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    !Array.isArray(error) &&
    typeof (error as { name?: unknown }).name === 'string' &&
    Object.keys(error).length === 1
  );
}

function grown<T extends Uint8Array | Uint32Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
