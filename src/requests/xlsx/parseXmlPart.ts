import type { XlsxPackage } from './openXlsxPackage.js';
import { XmlPartParser, type XmlHandlers } from './xmlPartParser.js';

/** Streams one part of the workbook through the handlers, at most `maxBytes` of it inflated. */
export async function parseXmlPart(pkg: XlsxPackage, part: string, maxBytes: number, maxNodeChars: number, handlers: XmlHandlers): Promise<void> {
  const parser = new XmlPartParser(part, handlers, maxNodeChars);
  for await (const chunk of pkg.stream(part, maxBytes)) parser.write(chunk);
  parser.end();
}
