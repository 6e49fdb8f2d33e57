import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatedEmail, generatedPhone, generateDataset } from '../../dist/simulator/generateDataset.js';

/**
 * The P1/P2 account: few people, many conversations each, so that resolution (a handful of
 * queries per person) is small beside the anonymizations it leads to, as with a real backlog of
 * returning customers. 100 visitors × 199 conversations + 100 visitors = 20 000 targets. All
 * conversations are within the last 1000 days, inside the default 3-year search interval.
 */
export const P1_SHAPE = { visitors: 100, conversationsPerVisitor: 199, withinDays: 1000, seed: 6 };

export function p1Dataset() {
  return generateDataset(P1_SHAPE);
}

/**
 * The request file naming each person by e-mail and phone (generateDataset's fictitious ones): the
 * phone's spellings are searched too, and their queries count against the tool.
 */
export async function writeP1Requests(dir, dataset) {
  const path = join(dir, 'requests.csv');
  const rows = dataset.visitors.map((_, n) => `REQ-${n},${generatedEmail(n)},${generatedPhone(n)}`);
  await writeFile(path, `request_id,email,phone\n${rows.join('\n')}\n`);
  return path;
}

/** The targets the tool finds and anonymizes, as the raw baseline sends them: conversations first, then visitors. */
export function p1Targets(dataset) {
  return {
    conversationIds: dataset.conversations.map((conversation) => conversation.id),
    visitorIds: dataset.visitors.map((visitor) => visitor.id),
  };
}
