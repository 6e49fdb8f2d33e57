import { phoneSpellingsOf } from '../requests/normalizePhone.js';
import type { PersonRequest } from '../requests/personRequest.js';
import { identifierLabel } from './evidence.js';

export interface SearchText {
  text: string;
  /** The request's identifiers the text spells, by position ("email#1", "phone#1", "search#2"). */
  identifiers: string[];
}

/**
 * The texts searched in messages for a request, each its own search: the search strings, the
 * e-mails, and each phone in E.164 and as people write it. Resolution and verification must
 * search the same ones.
 */
export function searchTextsOf(request: PersonRequest): SearchText[] {
  const byText = new Map<string, string[]>();
  const add = (text: string, label: string) => {
    const labels = byText.get(text);
    if (labels === undefined) byText.set(text, [label]);
    else if (!labels.includes(label)) labels.push(label);
  };
  request.searches.forEach((search, index) => add(search, identifierLabel('search', index)));
  request.emails.forEach((email, index) => add(email, identifierLabel('email', index)));
  request.phones.forEach((phone, index) => {
    const label = identifierLabel('phone', index);
    add(phone, label);
    for (const spelling of phoneSpellingsOf(phone)) add(spelling, label);
  });
  return [...byText].map(([text, identifiers]) => ({ text, identifiers }));
}

/** Whether the text stands for an e-mail or a phone of the request, not only a search string. */
export function spellsIdentifier(text: SearchText): boolean {
  return text.identifiers.some((label) => label.startsWith('email#') || label.startsWith('phone#'));
}
