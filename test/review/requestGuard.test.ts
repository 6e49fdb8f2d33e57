import { describe, expect, test } from '@jest/globals';
import { refusalOf, type GuardedRequest } from '../../src/review/requestGuard.js';
import { newReviewSecret, secretMatches } from '../../src/review/reviewSecret.js';

const SECRET = newReviewSecret();
const PORT = 40123;
const request = (overrides: Partial<GuardedRequest> = {}): GuardedRequest => ({
  method: 'GET',
  url: '/api/requests',
  host: `127.0.0.1:${PORT}`,
  secretHeader: undefined,
  ...overrides,
});

describe('the review secret', () => {
  test('is 32 random bytes in base64url, new each time', () => {
    const other = newReviewSecret();
    expect(SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(SECRET, 'base64url')).toHaveLength(32);
    expect(other).not.toBe(SECRET);
  });

  test('matches itself only: not a prefix, not a longer text, not a blank', () => {
    expect(secretMatches(SECRET, SECRET)).toBe(true);
    expect(secretMatches(SECRET.slice(0, -1), SECRET)).toBe(false);
    expect(secretMatches(`${SECRET}x`, SECRET)).toBe(false);
    expect(secretMatches(SECRET.toUpperCase(), SECRET)).toBe(false);
    expect(secretMatches('', SECRET)).toBe(false);
    expect(secretMatches(undefined, SECRET)).toBe(false);
  });
});

describe('a request to the review server', () => {
  test('without the secret is refused', () => {
    expect(refusalOf(request(), SECRET, PORT)).toBe('no_secret');
    expect(refusalOf(request({ url: '/?s=wrong' }), SECRET, PORT)).toBe('no_secret');
    expect(refusalOf(request({ secretHeader: 'wrong' }), SECRET, PORT)).toBe('no_secret');
  });

  test('a GET may carry it in the header or in the s parameter', () => {
    expect(refusalOf(request({ secretHeader: SECRET }), SECRET, PORT)).toBeUndefined();
    expect(refusalOf(request({ url: `/?s=${SECRET}` }), SECRET, PORT)).toBeUndefined();
    expect(refusalOf(request({ url: `/?s=${SECRET}`, host: `localhost:${PORT}` }), SECRET, PORT)).toBeUndefined();
  });

  test('a POST needs it in the header: in the URL alone it is refused', () => {
    expect(refusalOf(request({ method: 'POST', url: `/api/apply?s=${SECRET}` }), SECRET, PORT)).toBe('secret_only_in_url');
    expect(refusalOf(request({ method: 'POST', url: '/api/apply' }), SECRET, PORT)).toBe('no_secret');
    expect(refusalOf(request({ method: 'POST', url: '/api/apply', secretHeader: SECRET }), SECRET, PORT)).toBeUndefined();
    expect(refusalOf(request({ method: 'OPTIONS', url: `/api/apply?s=${SECRET}` }), SECRET, PORT)).toBe('secret_only_in_url');
  });

  test('to another Host than the loopback address and port it listens on is refused, secret or not (DNS rebinding)', () => {
    for (const host of ['evil.example:40123', `127.0.0.1:${PORT + 1}`, '127.0.0.1', `0.0.0.0:${PORT}`, `[::1]:${PORT}`, undefined]) {
      expect({ host, refusal: refusalOf(request({ host, secretHeader: SECRET }), SECRET, PORT) }).toEqual({ host, refusal: 'bad_host' });
    }
  });
});
