import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { HeldRequest } from '../decisions/heldSubject.js';
import { searchTextsOf } from '../resolve/searchTexts.js';
import { readIdentifiers } from './readIdentifiers.js';
import { readLiveTarget, type LiveTargetView } from './liveTargetView.js';

/** The request's identifiers as its file gives them, for the reviewer's eyes only. */
export interface ShownIdentifiers {
  emails: string[];
  phones: string[];
  searches: string[];
  conversationIds: string[];
  visitorIds: string[];
}

/** What the page shows of one held request once opened: built per call, sent, never stored. */
export interface HeldRequestDetails {
  requestId: string;
  identifiers: ShownIdentifiers | { problem: string };
  targets: LiveTargetView[];
}

/**
 * Reads a held request's identifiers from its input file and each of its targets live through the
 * API, and marks in the messages the texts the request searched. Personal data: the caller sends it
 * to the page and keeps nothing of it, neither on disk nor in a log.
 */
export async function heldRequestDetails(held: HeldRequest, client: IadvizeClient): Promise<HeldRequestDetails> {
  const read = await readIdentifiers(held);
  const needles = 'request' in read ? searchTextsOf(read.request).map((search) => search.text) : [];
  // the interval and projects its run searched: what was held is what that search reached
  const context = { client, interval: held.options.interval, projectIds: held.options.projectIds, needles };
  const targets = await Promise.all(held.targets.map((target) => readLiveTarget(target, context)));
  if (!('request' in read)) return { requestId: held.requestId, identifiers: read, targets };
  const { emails, phones, searches, conversationIds, visitorIds } = read.request;
  return { requestId: held.requestId, identifiers: { emails, phones, searches, conversationIds, visitorIds }, targets };
}
