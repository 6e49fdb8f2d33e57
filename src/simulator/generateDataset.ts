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

const FIRST_NAMES = ['Camille', 'Lucas', 'Manon', 'Hugo', 'Emma', 'Louis', 'Chloé', 'Nathan', 'Léa', 'Jules'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'];
// As in a real account most chat visitors never fill a profile: one in three does.
const FILLED_PROFILE_EVERY = 3;

/** The e-mail of generated person n: said in their first conversation, and on their profile when it is filled. */
export function generatedEmail(n: number): string {
  return `visitor-${n}@example.test`;
}

/** The phone of generated person n, in E.164 (06 39 98 xx xx: ARCEP's range for fiction; unique up to 10 000 people). */
export function generatedPhone(n: number): string {
  return `+3363998${String(n % 10_000).padStart(4, '0')}`;
}

/**
 * A large account for tests and benchmarks, the same for the same seed. Person n says their
 * e-mail (generatedEmail) in their first conversation, so every person is findable by it. One
 * profile in three is filled (a name, that e-mail, generatedPhone); the others are anonymous.
 */
export function generateDataset(options: GeneratedDatasetOptions): Dataset {
  const random = mulberry32(options.seed ?? 1);
  const projectIds = options.projectIds ?? [6949];
  const withinDays = options.withinDays ?? 1000;
  const visitors: DatasetVisitor[] = [];
  const conversations: DatasetConversation[] = [];
  for (let n = 0; n < options.visitors; n++) {
    const email = generatedEmail(n);
    const visitor: DatasetVisitor = { id: randomUuid(random), projectId: projectIds[n % projectIds.length]! };
    if (n % FILLED_PROFILE_EVERY === 0) {
      Object.assign(visitor, {
        firstName: FIRST_NAMES[n % FIRST_NAMES.length]!,
        lastName: LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length]!,
        email,
        phoneNumber: generatedPhone(n),
      });
    }
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
