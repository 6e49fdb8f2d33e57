import { canonicalColumn, type RequestField } from './columnAliases.js';

export interface FieldValues {
  /** Each known field's values, trimmed, empty ones left out. */
  values: Map<RequestField, string[]>;
  /** Values of a type no field accepts, without the value. */
  problems: string[];
  /** Names of the columns that match no field. */
  unknownColumns: string[];
}

/**
 * Maps a row's cells onto the known fields. A string or number is one value, an array of them several;
 * null and "" are no value. Two columns meaning the same field add their values up.
 */
export function collectFieldValues(cells: readonly [name: string, value: unknown][]): FieldValues {
  const values = new Map<RequestField, string[]>();
  const problems: string[] = [];
  const unknownColumns: string[] = [];
  for (const [name, value] of cells) {
    const field = canonicalColumn(name);
    if (field === undefined) {
      if (name.trim() !== '') unknownColumns.push(name.trim());
      continue;
    }
    const texts = valueTexts(value);
    if (texts === undefined) {
      problems.push(`${field} must be text, a number or a list of them`);
      continue;
    }
    if (texts.length > 0) values.set(field, [...(values.get(field) ?? []), ...texts]);
  }
  return { values, problems, unknownColumns };
}

function valueTexts(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const texts: string[] = [];
    for (const item of value) {
      const text = scalarText(item);
      if (text === undefined) return undefined;
      if (text !== '') texts.push(text);
    }
    return texts;
  }
  const text = scalarText(value);
  if (text === undefined) return undefined;
  return text === '' ? [] : [text];
}

function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
