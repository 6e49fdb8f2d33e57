/** Excel's last column, XFD: a reference past it is no cell. */
export const MAX_COLUMNS = 16_384;

/** The 0-based column of a cell reference ("B3" is 1), or undefined when it names none. */
export function columnIndexOf(reference: string): number | undefined {
  let index = 0;
  let letters = 0;
  for (const character of reference) {
    const code = character.toUpperCase().charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
    if (++letters > 3) return undefined;
  }
  return letters === 0 || index > MAX_COLUMNS ? undefined : index - 1;
}

/** A 0-based column as Excel names it: 0 is A, 27 is AB. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
