import { describe, expect, test } from '@jest/globals';
import { newNonce, securityHeaders } from '../../src/review/responseHeaders.js';

describe('the review responses', () => {
  test('are never cached, never sniffed, send no referrer and cannot be framed', () => {
    const headers = securityHeaders(newNonce());
    expect(headers).toMatchObject({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  });

  test("carry a strict CSP: nothing by default, the response's nonce for script and style, fetches to itself only", () => {
    const nonce = newNonce();
    const directives = securityHeaders(nonce)['Content-Security-Policy']!.split('; ');
    expect(directives).toEqual([
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      "img-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
    expect(directives.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  });

  test('a nonce is new for every response', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });
});
