import type { StoredConversation } from './accountStore.js';

// Between two messages: a search never holds it, so no match spans two messages.
const SEPARATOR = '\u0000';

/**
 * Finds the conversations whose messages contain a text, case-insensitively, with one indexOf over
 * the account's messages lowered and joined once, instead of lowering and scanning each message
 * for each search: that held the simulator's single thread for 20 ms a search on the bench's
 * account (19 900 conversations), delaying every other call in flight, which the real API's search
 * does not do to its other callers.
 */
export class MessageSearchIndex {
  readonly #text: string;
  /** Where each conversation's messages start in #text, ascending; the same index in #conversations. */
  readonly #starts: number[] = [];
  readonly #conversations: StoredConversation[] = [];

  constructor(conversations: Iterable<StoredConversation>) {
    const parts: string[] = [];
    let length = 0;
    for (const conversation of conversations) {
      if (conversation.messages.length === 0) continue;
      this.#starts.push(length);
      this.#conversations.push(conversation);
      for (const message of conversation.messages) {
        const part = message.text.toLowerCase() + SEPARATOR;
        parts.push(part);
        length += part.length;
      }
    }
    this.#text = parts.join('');
  }

  /** The conversations, still holding their messages, with a message containing any of the lower-case searches. */
  matching(lowerCaseSearches: readonly string[]): Set<StoredConversation> {
    const found = new Set<StoredConversation>();
    for (const search of lowerCaseSearches) {
      if (search.includes(SEPARATOR)) {
        for (const conversation of this.#conversations) {
          if (conversation.messages.some((message) => message.text.toLowerCase().includes(search))) found.add(conversation);
        }
        continue;
      }
      for (let at = this.#text.indexOf(search); at !== -1; ) {
        const index = this.#conversationAt(at);
        const conversation = this.#conversations[index]!;
        // anonymized since the index was made: its messages are gone
        if (!conversation.anonymized) found.add(conversation);
        const next = this.#starts[index + 1];
        at = next === undefined ? -1 : this.#text.indexOf(search, next);
      }
    }
    return found;
  }

  #conversationAt(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.#starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
