import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { TargetKind } from '../ledger/ledgerEvents.js';

/**
 * What reading one anonymized target back shows: `empty` (what the mutation should leave),
 * `not_empty` (personal data or messages are still there) or `unread` (the API gave nothing to
 * read it by, such as a visitor without a closed conversation in the interval).
 */
export type ReadBackState = 'empty' | 'not_empty' | 'unread';

export interface ReadBackContext {
  client: IadvizeClient;
  interval: { from: string; to: string };
  projectIds: number[];
}

/** The profile fields visitorAnonymize clears (notes: it deletes name, first name, e-mail and phone). */
export interface ProfileFields {
  email?: string | null;
  phoneNumber?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/** Null, absent or blank: a field a read-back may find in an anonymized profile (notes: they read back empty). */
export function isEmptyProfile(profile: ProfileFields): boolean {
  return [profile.email, profile.phoneNumber, profile.firstName, profile.lastName].every((field) => field == null || field.trim() === '');
}

/**
 * Reads one target back, judging it at once and keeping nothing of what the API answered but the
 * verdict: a visitor through a closed conversation of theirs (`conversationVisitorIds`), whose
 * node carries the profile; a conversation through its messages, of which one is enough to tell.
 */
export async function readBackTarget(kind: TargetKind, id: string, context: ReadBackContext): Promise<ReadBackState> {
  const { client, interval, projectIds } = context;
  const wanted = id.toLowerCase();
  if (kind === 'visitor') {
    const page = await client.closedConversations({ interval, filters: { projectIds, conversationVisitorIds: [id] }, first: 1 });
    const profile = page.edges.map((edge) => edge.node.conversation.visitor).find((visitor) => visitor?.id.toLowerCase() === wanted);
    if (profile == null) return 'unread';
    return isEmptyProfile(profile) ? 'empty' : 'not_empty';
  }
  const page = await client.conversationMessages({ interval, projectIds, conversationId: id, first: 1 });
  const conversation = page.edges.map((edge) => edge.node.conversation).find((candidate) => candidate.id.toLowerCase() === wanted);
  if (conversation === undefined) return 'unread';
  return conversation.messages.edges.length === 0 ? 'empty' : 'not_empty';
}
