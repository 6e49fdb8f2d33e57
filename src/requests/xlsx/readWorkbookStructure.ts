import { posix } from 'node:path';
import { FileFormatError } from '../requestFileError.js';
import { MACRO_ENABLED_REASON, type XlsxPackage } from './openXlsxPackage.js';
import { parseXmlPart } from './parseXmlPart.js';
import type { XlsxLimits } from './xlsxLimits.js';

export interface SheetEntry {
  /** As the tab shows it. */
  name: string;
  /** Its part in the zip, e.g. xl/worksheets/sheet1.xml. */
  part: string;
  /** Hidden from the tabs (Excel's "Hide", or "very hidden" by a macro). */
  hidden: boolean;
}

/** What the workbook says about itself: its sheets in tab order, its date system, and where its shared strings and styles are. */
export interface WorkbookStructure {
  sheets: SheetEntry[];
  /** The 1904 date system (Excel for Mac before 2011): serial 0 is 1904-01-01 instead of 1899-12-31. */
  date1904: boolean;
  sharedStringsPart?: string;
  stylesPart?: string;
}

const CONTENT_TYPES = '[Content_Types].xml';
const ROOT_RELATIONSHIPS = '_rels/.rels';
const DEFAULT_WORKBOOK = 'xl/workbook.xml';

/** Reads the content types (refusing a macro-enabled workbook), the relationships and the workbook part. */
export async function readWorkbookStructure(pkg: XlsxPackage, limits: XlsxLimits): Promise<WorkbookStructure> {
  const parse = (part: string, handlers: Parameters<typeof parseXmlPart>[4]) => parseXmlPart(pkg, part, limits.partBytes, limits.xmlNodeChars, handlers);
  if (pkg.has(CONTENT_TYPES)) {
    await parse(CONTENT_TYPES, {
      open: (name, attributes) => {
        const type = attributes.ContentType ?? '';
        if ((name === 'Override' || name === 'Default') && /macroEnabled|vbaProject/i.test(type)) throw new FileFormatError(MACRO_ENABLED_REASON);
      },
    });
  }
  let workbookPart = DEFAULT_WORKBOOK;
  if (pkg.has(ROOT_RELATIONSHIPS)) {
    const root = await readRelationships(pkg, ROOT_RELATIONSHIPS, '', limits);
    workbookPart = root.find((relationship) => relationship.type.endsWith('/officeDocument'))?.target ?? DEFAULT_WORKBOOK;
  }
  if (!pkg.has(workbookPart))
    throw new FileFormatError('is a zip archive but not an Excel workbook (it has no workbook part); save it as .xlsx or "CSV UTF-8"');

  const listed: { name: string; relationshipId: string; hidden: boolean }[] = [];
  let date1904 = false;
  await parse(workbookPart, {
    open: (name, attributes) => {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name === 'sheet') {
        const relationshipId = Object.entries(attributes).find(([key]) => key === 'r:id' || key.endsWith(':id'))?.[1];
        const hidden = attributes.state === 'hidden' || attributes.state === 'veryHidden';
        if (relationshipId !== undefined) listed.push({ name: attributes.name ?? '', relationshipId, hidden });
      }
    },
  });
  const directory = posix.dirname(workbookPart);
  const relationshipsPart = posix.join(directory, '_rels', `${posix.basename(workbookPart)}.rels`);
  const relationships = pkg.has(relationshipsPart) ? await readRelationships(pkg, relationshipsPart, directory, limits) : [];
  const byId = new Map(relationships.map((relationship) => [relationship.id, relationship]));
  const sheets = listed.flatMap(({ name, relationshipId, hidden }) => {
    const relationship = byId.get(relationshipId);
    // a chart sheet or a dialog sheet has no cells to read
    return relationship !== undefined && relationship.type.endsWith('/worksheet') ? [{ name, part: relationship.target, hidden }] : [];
  });
  const targetOf = (type: string) => relationships.find((relationship) => relationship.type.endsWith(type))?.target;
  const sharedStringsPart = targetOf('/sharedStrings');
  const stylesPart = targetOf('/styles');
  return {
    sheets,
    date1904,
    ...(sharedStringsPart !== undefined && pkg.has(sharedStringsPart) ? { sharedStringsPart } : {}),
    ...(stylesPart !== undefined && pkg.has(stylesPart) ? { stylesPart } : {}),
  };
}

interface Relationship {
  id: string;
  type: string;
  /** The part it points to, as a path in the zip. */
  target: string;
}

async function readRelationships(pkg: XlsxPackage, part: string, directory: string, limits: XlsxLimits): Promise<Relationship[]> {
  const relationships: Relationship[] = [];
  await parseXmlPart(pkg, part, limits.partBytes, limits.xmlNodeChars, {
    open: (name, attributes) => {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      const { Id: id, Type: type, Target: target } = attributes;
      if (id === undefined || type === undefined || target === undefined) return;
      // an absolute target starts at the package root; a relative one at the source part's folder
      const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(directory, target));
      relationships.push({ id, type, target: path });
    },
  });
  return relationships;
}
