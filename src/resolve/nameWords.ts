/**
 * A name as a set of words: accents removed, lower-cased, split on anything that is not a letter
 * or a digit. "Lefranc-Aubry" is {lefranc, aubry}; "ZOÉ  Lefranc" is {zoe, lefranc}.
 */
export function nameWords(text: string): Set<string> {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return new Set(plain.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== ''));
}

/**
 * Whether a profile's name and a request's search string can be the same person: one of the two
 * word sets holds the other, so neither says something the other contradicts. "Zoé Lefranc"
 * matches "Lefranc Zoé", "Zoe", "Lefranc" and "Zoé Lefranc-Aubry", but not "Marie Lefranc".
 */
export function namesAgree(profileWords: ReadonlySet<string>, searchWords: ReadonlySet<string>): boolean {
  if (profileWords.size === 0 || searchWords.size === 0) return false;
  return isSubset(profileWords, searchWords) || isSubset(searchWords, profileWords);
}

export function isSubset(small: ReadonlySet<string>, large: ReadonlySet<string>): boolean {
  for (const word of small) if (!large.has(word)) return false;
  return true;
}
