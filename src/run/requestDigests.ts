import { createHmac } from 'node:crypto';
import type { PersonRequest } from '../requests/personRequest.js';
import { identifierLabel } from '../resolve/evidence.js';

/**
 * What a request asks, as one keyed digest of its normalized identifiers (order and repeats
 * aside): two requests are the same request only when these are equal under the same key.
 */
export function contentDigest(request: PersonRequest, key: string): string {
  const canonical = JSON.stringify([
    [...request.emails].sort(),
    [...request.phones].sort(),
    request.searches.map((search) => search.toLowerCase()).sort(),
    [...request.conversationIds].sort(),
    [...request.visitorIds].sort(),
  ]);
  return createHmac('sha256', key).update(`request:${canonical}`).digest('hex');
}

/** A rejected row's stand-in for its content, whose identifiers were never read: its file's bytes and its line. */
export function rejectedRowDigest(fileSha256: string | undefined, line: number, key: string): string {
  return createHmac('sha256', key).update(`rejected:${fileSha256}:${line}`).digest('hex');
}

/** Proof a request was processed, without the data: HMAC-SHA256 of each normalized identifier (IADVIZE_PII_KEY). */
export function identifierDigests(request: PersonRequest, key: string): string[] {
  const identifiers = [
    ...request.emails.map((email) => `email:${email}`),
    ...request.phones.map((phone) => `phone:${phone}`),
    ...request.searches.map((search) => `search:${search.toLowerCase()}`),
    ...request.conversationIds.map((id) => `conversation:${id}`),
    ...request.visitorIds.map((id) => `visitor:${id}`),
  ];
  return identifiers.map((identifier) => createHmac('sha256', key).update(identifier).digest('hex'));
}

/**
 * The identifiers that name one person whoever else shares them (e-mails, phones, ids; not search
 * strings, which namesakes share), by label ("email#1"), as short keyed digests: two requests sharing
 * one ask for the same person. 16 hex digits: a false match is beyond reach at any ledger's size.
 */
export function personDigests(request: PersonRequest, key: string): Record<string, string> {
  const digest = (text: string) => createHmac('sha256', key).update(`person:${text}`).digest('hex').slice(0, 16);
  const digests: Record<string, string> = {};
  request.emails.forEach((email, index) => (digests[identifierLabel('email', index)] = digest(`email:${email}`)));
  request.phones.forEach((phone, index) => (digests[identifierLabel('phone', index)] = digest(`phone:${phone}`)));
  request.conversationIds.forEach((id, index) => (digests[identifierLabel('conversation_id', index)] = digest(`conversation:${id}`)));
  request.visitorIds.forEach((id, index) => (digests[identifierLabel('visitor_id', index)] = digest(`visitor:${id}`)));
  return digests;
}
