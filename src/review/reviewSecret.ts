import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: the one credential of the review page, printed once in its URL. */
export function newReviewSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether a request's secret is the page's, in constant time. Both sides are hashed first so that
 * timingSafeEqual compares equal lengths whatever was sent, and a wrong length is not told apart.
 */
export function secretMatches(given: string | undefined, secret: string): boolean {
  if (given === undefined || given === '') return false;
  return timingSafeEqual(sha256(given), sha256(secret));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
