import type { Dataset, DatasetConversation, DatasetVisitor } from './dataset.js';
import { mulberry32 } from './seededRandom.js';

export interface GeneratedDatasetOptions {
  seed?: number;
  projectIds?: number[];
  visitors: number;
  conversationsPerVisitor: number;
  /** Spread of conversation dates, in days before the simulator's start. */
  withinDays?: number;
}

const PHRASES = [
  'Bonjour, où en est ma commande ?',
  'Is this jacket available in blue?',
  'Je voudrais un remboursement.',
  'My parcel has not arrived yet.',
  'Quel est le délai de livraison ?',
  'Can I change my delivery address?',
];

/**
 * A large account for tests and benchmarks, the same for the same seed. Visitor n has the
 * e-mail visitor-n@example.test and the phone +336399<n padded to 6>, and says its own
 * e-mail in its first conversation, so every visitor is findable both ways.
 */
export function generateDataset(options: GeneratedDatasetOptions): Dataset {
  const random = mulberry32(options.seed ?? 1);
  const projectIds = options.projectIds ?? [6949];
  const withinDays = options.withinDays ?? 1000;
  const visitors: DatasetVisitor[] = [];
  const conversations: DatasetConversation[] = [];
  for (let n = 0; n < options.visitors; n++) {
    const email = `visitor-${n}@example.test`;
    const visitor: DatasetVisitor = {
      id: randomUuid(random),
      projectId: projectIds[n % projectIds.length]!,
      firstName: `First${n}`,
      lastName: `Last${n}`,
      email,
      phoneNumber: `+336399${String(n % 1_000_000).padStart(6, '0')}`,
    };
    visitors.push(visitor);
    for (let k = 0; k < options.conversationsPerVisitor; k++) {
      const phrase = PHRASES[Math.floor(random() * PHRASES.length)]!;
      conversations.push({
        id: randomUuid(random),
        projectId: visitor.projectId,
        visitorId: visitor.id,
        daysAgo: Math.floor(random() * withinDays),
        messages: [
          { author: 'visitor', text: k === 0 ? `${phrase} (${email})` : phrase },
          { author: 'operator', text: 'Merci, je regarde.' },
        ],
      });
    }
  }
  return {
    users: [{ username: 'dpo@example.com', password: 'simulator-password', projectIds }],
    staticTokens: [{ token: 'simulator-static-token', username: 'dpo@example.com' }],
    projects: projectIds.map((id) => ({ id, name: `Project ${id}` })),
    visitors,
    conversations,
  };
}

function randomUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
