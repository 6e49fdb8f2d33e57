import { readFile, writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export type Workbook = ExcelJS.Workbook;

/** Writes an .xlsx file with ExcelJS, another implementation than the reader's: the file is what a real tool writes. */
export async function writeWorkbook(path: string, build: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** Writes an .xlsx file with ExcelJS's streaming writer without shared strings: its texts are inline (t="str", rich text t="inlineStr"). */
export async function writeStreamedWorkbook(path: string, rows: unknown[][]): Promise<string> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('Requests');
  for (const row of rows) sheet.addRow(row).commit();
  await workbook.commit();
  return path;
}

/** Rewrites parts of an .xlsx file's zip: `parts` maps a part name to its new content, or to null to remove it. */
export async function editWorkbook(path: string, parts: Record<string, string | Buffer | null | ((text: string) => string)>): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(path));
  for (const [name, content] of Object.entries(parts)) {
    if (content === null) zip.remove(name);
    else if (typeof content === 'function') zip.file(name, content(await zip.file(name)!.async('string')));
    else zip.file(name, content);
  }
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}
