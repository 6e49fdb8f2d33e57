export type CsvDelimiter = ',' | ';' | '\t';

// On a tie the first listed wins: a comma is what RFC 4180 expects.
const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];

/** The delimiter a CSV file uses: whichever of `,` `;` and tab appears most, outside quotes, in its header line. */
export function detectCsvDelimiter(head: Buffer): CsvDelimiter {
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/^[\r\n]+/, '');
  const counts = new Map<string, number>(CANDIDATES.map((candidate) => [candidate, 0]));
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const candidate of CANDIDATES) {
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  }
  return best;
}
