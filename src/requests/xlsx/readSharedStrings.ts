import type { XlsxPackage } from './openXlsxPackage.js';
import { parseXmlPart } from './parseXmlPart.js';
import { RichTextCollector } from './richTextCollector.js';
import type { XlsxLimits } from './xlsxLimits.js';

/** The workbook's shared strings table, each rich text flattened to its plain text. Held in memory, within limits.sharedStringsBytes. */
export async function readSharedStrings(pkg: XlsxPackage, part: string | undefined, limits: XlsxLimits): Promise<string[]> {
  const strings: string[] = [];
  if (part === undefined) return strings;
  const collector = new RichTextCollector();
  await parseXmlPart(pkg, part, limits.sharedStringsBytes, limits.xmlNodeChars, {
    open: (name) => {
      if (name === 'si') collector.start();
      else collector.open(name);
    },
    text: (text) => collector.text(text),
    close: (name) => {
      if (name === 'si') strings.push(collector.finish());
      else collector.close(name);
    },
  });
  return strings;
}
