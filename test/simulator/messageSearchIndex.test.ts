import { describe, expect, test } from '@jest/globals';
import type { StoredConversation } from '../../src/simulator/accountStore.js';
import { MessageSearchIndex } from '../../src/simulator/messageSearchIndex.js';
import { seededRandom } from '../helpers/seededRandom.js';

function conversation(id: string, texts: string[]): StoredConversation {
  return {
    id,
    projectId: 1,
    visitorId: null,
    createdAtMs: 0,
    messages: texts.map((text) => ({ text }) as StoredConversation['messages'][number]),
    customData: {},
    anonymized: false,
  };
}

/** What the index must answer: a message of the conversation contains a search, ignoring case. */
function naive(conversations: StoredConversation[], searches: string[]): string[] {
  return conversations
    .filter((c) => !c.anonymized && c.messages.some((m) => searches.some((search) => m.text.toLowerCase().includes(search))))
    .map((c) => c.id);
}

function idsOf(found: Set<StoredConversation>): string[] {
  return [...found].map((c) => c.id).sort();
}

describe('MessageSearchIndex', () => {
  test('a match never spans two messages, and a conversation anonymized since is not found', () => {
    const a = conversation('a', ['Bonjour Jean ', 'DUPONT ici']);
    const b = conversation('b', ['jean.dupont@example.com']);
    const c = conversation('c', ['Jean Dupont']);
    const index = new MessageSearchIndex([a, b, c]);
    c.messages = [];
    c.anonymized = true;

    expect(idsOf(index.matching(['jean dupont']))).toEqual([]);
    expect(idsOf(index.matching(['jean']))).toEqual(['a', 'b']);
    expect(idsOf(index.matching(['dupont', 'bonjour']))).toEqual(['a', 'b']);
  });

  test('finds exactly what searching each message would, on random texts and searches', () => {
    const random = seededRandom(11);
    const alphabet = ['a', 'B', 'c', 'É', 'é', ' ', '@', '.', '\u0000'];
    const text = (length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const conversations = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, n) =>
        conversation(
          `c${n}`,
          Array.from({ length: Math.floor(random() * 4) }, () => text(Math.floor(random() * 12))),
        ),
      );
      const index = new MessageSearchIndex(conversations);
      for (const gone of conversations.filter(() => random() < 0.2)) {
        gone.messages = [];
        gone.anonymized = true;
      }
      const searches = Array.from({ length: 1 + Math.floor(random() * 2) }, () => text(1 + Math.floor(random() * 3)).toLowerCase());

      expect({ round, searches, found: idsOf(index.matching(searches)) }).toEqual({ round, searches, found: naive(conversations, searches).sort() });
    }
  });
});
