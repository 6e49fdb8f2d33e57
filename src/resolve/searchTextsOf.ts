import type { PersonRequest } from '../requests/personRequest.js';

/** The texts searched in messages for a request: resolution and verification must search the same ones. */
export function searchTextsOf(request: PersonRequest): string[] {
  return [...new Set([...request.searches, ...request.emails, ...request.phones, ...request.phoneSpellings])];
}
