import { randomBytes } from 'node:crypto';
import type { DatasetUser } from './dataset.js';

/** docs/api-notes.md#authentication: tokens live 24 h and there is no refresh flow. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_400;
/** docs/api-notes.md#authentication: login is limited to 10 a minute per user and 100 a minute per IP. */
export const DEFAULT_LOGIN_LIMITS = { perUser: 10, perAddress: 100 };

export type LoginResult = { ok: true; token: string; expiresIn: number } | { ok: false; reason: 'invalid_grant' | 'rate_limited'; retryAfterSeconds?: number };

/** Issues and checks bearer tokens for the simulated account. */
export class TokenIssuer {
  private readonly tokens = new Map<string, { user: DatasetUser; expiresAtMs: number }>();
  private readonly loginTimes = new Map<string, number[]>();
  logins = 0;

  constructor(
    private readonly users: readonly DatasetUser[],
    staticTokens: readonly { token: string; username: string }[],
    private readonly lifetimeSeconds: number,
    private readonly loginLimits: { perUser: number; perAddress: number },
    private readonly nowMs: () => number,
  ) {
    for (const { token, username } of staticTokens) {
      const user = users.find((candidate) => candidate.username === username);
      if (user === undefined) throw new Error(`static token for unknown user ${username}`);
      this.tokens.set(token, { user, expiresAtMs: Number.POSITIVE_INFINITY });
    }
  }

  login(username: string, password: string, address: string): LoginResult {
    const now = this.nowMs();
    const userWait = this.throttle(`user:${username}`, this.loginLimits.perUser, now);
    const addressWait = this.throttle(`address:${address}`, this.loginLimits.perAddress, now);
    if (userWait !== null || addressWait !== null) {
      return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.max(userWait ?? 0, addressWait ?? 0) };
    }
    const user = this.users.find((candidate) => candidate.username === username && candidate.password === password);
    if (user === undefined) return { ok: false, reason: 'invalid_grant' };
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { user, expiresAtMs: now + this.lifetimeSeconds * 1000 });
    this.logins += 1;
    return { ok: true, token, expiresIn: this.lifetimeSeconds };
  }

  /** The user behind a valid, unexpired token; null otherwise. */
  verify(token: string | null): DatasetUser | null {
    if (token === null) return null;
    const entry = this.tokens.get(token);
    if (entry === undefined) return null;
    if (entry.expiresAtMs <= this.nowMs()) {
      this.tokens.delete(token);
      return null;
    }
    return entry.user;
  }

  /** Sliding one-minute window; null when allowed, else seconds to wait. */
  private throttle(key: string, perMinute: number, now: number): number | null {
    const recent = (this.loginTimes.get(key) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= perMinute) {
      this.loginTimes.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.loginTimes.set(key, recent);
    return null;
  }
}
