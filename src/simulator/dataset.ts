import { readFile } from 'node:fs/promises';
import { UUID_PATTERN } from '../uuidPattern.js';

/**
 * What the simulator serves: an iAdvize account with its projects, visitor profiles and
 * closed conversations. Personal fields are fictitious; they exist so that searching and
 * anonymizing have something real to find and clear.
 */
export interface Dataset {
  /** Accounts that may log in with the password grant, and the projects each may see. */
  users: DatasetUser[];
  /** Bearer tokens accepted without login, for exploring by hand; they never expire. */
  staticTokens?: { token: string; username: string }[];
  projects: { id: number; name: string }[];
  visitors: DatasetVisitor[];
  conversations: DatasetConversation[];
}

export interface DatasetUser {
  username: string;
  password: string;
  projectIds: number[];
}

export interface DatasetVisitor {
  id: string;
  projectId: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  /** Custom data and notes agents typed in the iAdvize interface. */
  customData?: Record<string, string>;
  /** Already anonymized before the simulator starts. */
  anonymized?: boolean;
}

export interface DatasetConversation {
  id: string;
  projectId: number;
  visitorId: string | null;
  /** When it started, either as an ISO date or as days before the simulator's start. */
  createdAt?: string;
  daysAgo?: number;
  messages: DatasetMessage[];
  customData?: Record<string, string>;
  /** Already anonymized before the simulator starts: messages and custom data are gone. */
  anonymized?: boolean;
}

export interface DatasetMessage {
  author: 'visitor' | 'operator' | 'system';
  text: string;
  attachments?: string[];
}

export const DEFAULT_DATASET_URL = new URL('../../fixtures/dataset.json', import.meta.url);

export async function loadDataset(path: string | URL = DEFAULT_DATASET_URL): Promise<Dataset> {
  const dataset = JSON.parse(await readFile(path, 'utf8')) as Dataset;
  checkDataset(dataset);
  return dataset;
}

/** Fails fast on a dataset the simulator could not serve faithfully (ids the API would never hold). */
export function checkDataset(dataset: Dataset): void {
  const missing = (['users', 'projects', 'visitors', 'conversations'] as const).filter((key) => !Array.isArray(dataset?.[key]));
  if (missing.length > 0) throw new Error(`Invalid simulator dataset: no array ${missing.join(', ')}`);
  const problems: string[] = [];
  const projectIds = new Set(dataset.projects.map((project) => project.id));
  const visitorIds = new Set<string>();
  for (const visitor of dataset.visitors) {
    if (!UUID_PATTERN.test(visitor.id)) problems.push(`visitor ${visitor.id}: id is not a UUID`);
    if (!projectIds.has(visitor.projectId)) problems.push(`visitor ${visitor.id}: unknown project ${visitor.projectId}`);
    if (visitorIds.has(visitor.id)) problems.push(`visitor ${visitor.id}: duplicate id`);
    visitorIds.add(visitor.id);
  }
  const conversationIds = new Set<string>();
  for (const conversation of dataset.conversations) {
    const { id } = conversation;
    if (!UUID_PATTERN.test(id)) problems.push(`conversation ${id}: id is not a UUID`);
    if (!projectIds.has(conversation.projectId)) problems.push(`conversation ${id}: unknown project ${conversation.projectId}`);
    if (conversation.visitorId !== null && !visitorIds.has(conversation.visitorId)) {
      problems.push(`conversation ${id}: unknown visitor ${conversation.visitorId}`);
    }
    if ((conversation.createdAt === undefined) === (conversation.daysAgo === undefined)) {
      problems.push(`conversation ${id}: give exactly one of createdAt and daysAgo`);
    }
    if (conversationIds.has(id)) problems.push(`conversation ${id}: duplicate id`);
    conversationIds.add(id);
  }
  for (const user of dataset.users) {
    for (const projectId of user.projectIds) {
      if (!projectIds.has(projectId)) problems.push(`user ${user.username}: unknown project ${projectId}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid simulator dataset:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}
