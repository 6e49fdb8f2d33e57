import { randomBytes } from 'node:crypto';

/** A fresh nonce per response: only the page's own inline script and style run. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The headers of every review response. Nothing is cached (the page shows personal data read live),
 * nothing loads from elsewhere, no referrer carries the secret's URL away, and no other site can frame it.
 */
export function securityHeaders(nonce: string): Record<string, string> {
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
