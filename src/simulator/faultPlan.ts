import { KeyedRandom } from './seededRandom.js';

/**
 * What can go wrong on a call, as the API documents its failures (docs/api-notes.md#http-errors).
 * - before executing: `bad_gateway` (502), `gateway_timeout` (504), `rate_limited` (429 with
 *   Retry-After), `rate_limited_no_retry_after` (429 without), `retryable_field_error`
 *   (200 with a field error whose retryPolicy is not NO_RETRY; nothing applied);
 * - after executing, so a mutation is applied but the client never learns it:
 *   `error_after_commit` (500) and `drop_after_commit` (connection closed without an answer);
 * - not a documented failure, but what `verify` exists to catch: `acknowledged_not_applied`, a
 *   mutation that answers success and changes nothing (queries are served as usual);
 * - `applied_later`: a mutation that answers success and changes nothing yet, as the article's
 *   "starts the anonymization" allows; the change is made when AccountStore.applyDeferred() is
 *   called (a test hook: left alone, it behaves as `acknowledged_not_applied`);
 * - malformed answers, 200 all three: `empty_answer` (`{}`, nothing executed), `missing_field`
 *   (`{"data": {}}`, nothing executed), `wrong_type` (executed, then every field of `data` is 42).
 *
 * `rate_limited` drawn at random is a 429 the client's rate did not cause (another integration
 * spending the account's shared budget); `rateLimit` is the limit its rate meets.
 */
export const FAULT_KINDS = [
  'bad_gateway',
  'gateway_timeout',
  'rate_limited',
  'rate_limited_no_retry_after',
  'retryable_field_error',
  'error_after_commit',
  'drop_after_commit',
  'acknowledged_not_applied',
  'empty_answer',
  'missing_field',
  'wrong_type',
  'applied_later',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const AFTER_COMMIT_FAULTS: ReadonlySet<FaultKind> = new Set(['error_after_commit', 'drop_after_commit']);

export type RetryAfterStyle = 'seconds' | 'http-date' | 'none';

export interface FaultOptions {
  /** Seeds every random choice; the same seed gives the same faults to the same calls. */
  seed?: number;
  /** Added to every GraphQL call before it is answered. */
  latencyMs?: number;
  /** A further random 0..latencyJitterMs per call. */
  latencyJitterMs?: number;
  /** Token bucket over GraphQL calls; past it, 429 (the real limits are not documented). */
  rateLimit?: { perSecond: number; burst: number; retryAfter?: RetryAfterStyle };
  /** Chance per GraphQL call of each fault kind, 0..1; their sum is the call's chance of a fault. */
  probabilities?: Partial<Record<FaultKind, number>>;
  /** Operations the random faults never touch (a test whose run must get past the preflight's ProjectVisible). */
  spared?: readonly string[];
  /** Retry-After sent with a random `rate_limited` fault, in seconds. */
  retryAfterSeconds?: number;
  /** Access token lifetime; the API's is 24 h. */
  tokenLifetimeSeconds?: number;
  /** Password-grant logins allowed per minute, per user and per client address (API: 10 and 100). */
  loginLimitPerMinute?: { perUser: number; perAddress: number };
  /** What visitorAnonymize answers for a visitor already anonymized (the API's answer is unknown). */
  visitorReanonymize?: 'not_found' | 'success';
}

export interface ScriptedFault {
  kind: FaultKind;
  /** Only a call with this operationName takes the fault; any call when absent. */
  operationName?: string;
}

/** Decides, call by call, which fault (if any) the simulator plays. */
export class FaultPlan {
  private readonly random: KeyedRandom;
  private readonly scripted: ScriptedFault[] = [];
  private tokens: number;
  private refilledAtMs: number;

  constructor(
    private readonly options: FaultOptions,
    private readonly nowMs: () => number,
  ) {
    this.random = new KeyedRandom(options.seed ?? 1);
    this.tokens = options.rateLimit?.burst ?? 0;
    this.refilledAtMs = nowMs();
  }

  /** Queues faults for the next matching calls, ahead of any random ones. */
  script(...faults: ScriptedFault[]): void {
    this.scripted.push(...faults);
  }

  get pendingScripted(): number {
    return this.scripted.length;
  }

  /**
   * The token bucket's verdict: null when the call may proceed, else seconds until a token is
   * available (at least 1, since Retry-After counts whole seconds).
   */
  takeRateToken(): number | null {
    const limit = this.options.rateLimit;
    if (limit === undefined) return null;
    const now = this.nowMs();
    this.tokens = Math.min(limit.burst, this.tokens + ((now - this.refilledAtMs) / 1000) * limit.perSecond);
    this.refilledAtMs = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / limit.perSecond));
  }

  /** The fault for this call: a scripted one if one matches, else a seeded draw keyed by the call. */
  chooseFault(operationName: string | null, callKey: string): FaultKind | null {
    const index = this.scripted.findIndex((fault) => fault.operationName === undefined || fault.operationName === operationName);
    if (index >= 0) return this.scripted.splice(index, 1)[0]!.kind;
    const probabilities = this.options.probabilities;
    if (probabilities === undefined) return null;
    if (operationName !== null && this.options.spared?.includes(operationName) === true) return null;
    let draw = this.random.next(`fault:${callKey}`);
    for (const kind of FAULT_KINDS) {
      const p = probabilities[kind] ?? 0;
      if (draw < p) return kind;
      draw -= p;
    }
    return null;
  }

  latencyMs(callKey: string): number {
    const jitter = this.options.latencyJitterMs ?? 0;
    const extra = jitter > 0 ? Math.floor(this.random.next(`latency:${callKey}`) * (jitter + 1)) : 0;
    return (this.options.latencyMs ?? 0) + extra;
  }
}
