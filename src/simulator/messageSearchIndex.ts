import type { StoredConversation } from './accountStore.js';

// Between two messages: a search never holds it, so no match spans two messages.
const SEPARATOR = '\u0000';
const GRAM = 3;

/**
 * Finds the conversations whose messages contain a text, case-insensitively, over the account's
 * messages lowered and joined once. A search of three characters or more looks only at the
 * conversations holding its rarest three-character piece (a trigram index); a shorter one scans the
 * joined text. Scanning every message for each search held the simulator's single thread for 20 ms a
 * search, and one scan of the joined text still 3 to 5 ms, on the bench's account (19 900
 * conversations), delaying every other call in flight, which the real API's search does not do to
 * its other callers.
 */
export class MessageSearchIndex {
  readonly #text: string;
  /** Where each conversation's messages start in #text, ascending; the same index in #conversations. */
  readonly #starts: number[] = [];
  readonly #conversations: StoredConversation[] = [];
  /** Each trigram of a message, to the indexes of the conversations holding it, ascending. */
  readonly #trigrams = new Map<string, number[]>();

  constructor(conversations: Iterable<StoredConversation>) {
    const parts: string[] = [];
    let length = 0;
    for (const conversation of conversations) {
      if (conversation.messages.length === 0) continue;
      const index = this.#conversations.length;
      this.#starts.push(length);
      this.#conversations.push(conversation);
      for (const message of conversation.messages) {
        const lowered = message.text.toLowerCase();
        this.#indexTrigrams(lowered, index);
        parts.push(lowered, SEPARATOR);
        length += lowered.length + SEPARATOR.length;
      }
    }
    this.#starts.push(length);
    this.#text = parts.join('');
  }

  /** The conversations, still holding their messages, with a message containing any of the lower-case searches. */
  matching(lowerCaseSearches: readonly string[]): Set<StoredConversation> {
    const found = new Set<StoredConversation>();
    for (const search of lowerCaseSearches) {
      // a search holding the separator could match across two messages of the joined text
      const contains = search.includes(SEPARATOR)
        ? (index: number) => this.#conversations[index]!.messages.some((message) => message.text.toLowerCase().includes(search))
        : (index: number) => this.#textOf(index).includes(search);
      for (const index of this.#candidates(search)) {
        const conversation = this.#conversations[index]!;
        // anonymized since the index was made: its messages are gone
        if (!conversation.anonymized && contains(index)) found.add(conversation);
      }
    }
    return found;
  }

  /** The conversations that may hold the search: those with its rarest trigram, or all of them. */
  #candidates(search: string): Iterable<number> {
    if (search.length < GRAM || search.includes(SEPARATOR)) return this.#conversations.keys();
    let rarest: number[] | undefined;
    for (let at = 0; at + GRAM <= search.length; at++) {
      const holders = this.#trigrams.get(search.slice(at, at + GRAM));
      if (holders === undefined) return [];
      if (rarest === undefined || holders.length < rarest.length) rarest = holders;
    }
    return rarest ?? [];
  }

  /** One conversation's messages, lowered, each followed by the separator. */
  #textOf(index: number): string {
    return this.#text.slice(this.#starts[index], this.#starts[index + 1]);
  }

  #indexTrigrams(lowered: string, index: number): void {
    for (let at = 0; at + GRAM <= lowered.length; at++) {
      const gram = lowered.slice(at, at + GRAM);
      const holders = this.#trigrams.get(gram);
      if (holders === undefined) this.#trigrams.set(gram, [index]);
      else if (holders[holders.length - 1] !== index) holders.push(index);
    }
  }
}
