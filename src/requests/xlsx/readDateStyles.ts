import type { XlsxPackage } from './openXlsxPackage.js';
import { parseXmlPart } from './parseXmlPart.js';
import type { XlsxLimits } from './xlsxLimits.js';

// ECMA-376 part 1, 18.8.30: the built-in number formats that show a date or a time (27-36 and 50-58 are the East Asian ones)
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/**
 * For each cell style (the `s` of a cell, an index into cellXfs), whether its number format shows a
 * date: a number in such a cell is a date serial. Undefined styles are not dates.
 */
export async function readDateStyles(pkg: XlsxPackage, part: string | undefined, limits: XlsxLimits): Promise<boolean[]> {
  if (part === undefined) return [];
  const customFormats = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  await parseXmlPart(pkg, part, limits.partBytes, limits.xmlNodeChars, {
    open: (name, attributes) => {
      if (name === 'numFmt') customFormats.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styleFormats.push(Number(attributes.numFmtId ?? 0));
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styleFormats.map((id) => {
    const custom = customFormats.get(id);
    return custom !== undefined ? isDateFormatCode(custom) : BUILT_IN_DATE_FORMATS.has(id);
  });
}

/**
 * Whether a custom format code shows a date or time: it has a day, month, year, hour or second
 * placeholder outside quoted text, escaped characters and bracketed sections ([Red], [$-409]),
 * an elapsed time ([h], [mm], [ss]) counting too. Only its first section (positive numbers) is read.
 */
export function isDateFormatCode(code: string): boolean {
  const firstSection = code.split(';')[0] ?? '';
  const elapsed = /\[(h+|m+|s+)\]/i.test(firstSection);
  const bare = firstSection
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return elapsed || /[dmyhs]/i.test(bare.replace(/General/gi, ''));
}
