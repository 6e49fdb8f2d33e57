import { canonicalColumn, type RequestField } from './columnAliases.js';
import { loggableColumnName } from './loggableColumnName.js';
import type { SourceRow } from './sourceRow.js';

/** Each known field's values, trimmed, empty ones left out; a field with no value is absent. */
export type FieldValueLists = { [field in RequestField]?: string[] };

export interface FieldValues {
  values: FieldValueLists;
  /** Values of a type no field accepts, without the value. */
  problems: readonly string[];
  /** Names of the columns that match no field, as they may be logged (loggableColumnName). */
  unknownColumns: readonly string[];
}

// Rows nearly always have neither: one shared empty list instead of two new ones a row.
const NONE: readonly string[] = Object.freeze([]);

/**
 * Maps a row's values onto the known fields. A string or number is one value, an array of them several;
 * null and "" are no value. Two columns meaning the same field add their values up.
 */
export function collectFieldValues({ columns, values: row }: Pick<SourceRow, 'columns' | 'values'>): FieldValues {
  const values: FieldValueLists = {};
  let problems: string[] | undefined;
  let unknownColumns: string[] | undefined;
  for (let index = 0; index < row.length; index++) {
    const name = columns[index];
    // a value past the header's names: the reader has reported it
    if (name === undefined) continue;
    const value = row[index];
    const field = canonicalColumn(name);
    if (field === undefined) {
      if (name.trim() !== '') (unknownColumns ??= []).push(loggableColumnName(name.trim(), index + 1));
      continue;
    }
    const texts = valueTexts(value);
    if (texts === undefined) {
      (problems ??= []).push(`${field} must be text, a number or a list of them`);
      continue;
    }
    if (texts.length === 0) continue;
    const earlier = values[field];
    if (earlier === undefined) values[field] = texts;
    else earlier.push(...texts);
  }
  return { values, problems: problems ?? NONE, unknownColumns: unknownColumns ?? NONE };
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
