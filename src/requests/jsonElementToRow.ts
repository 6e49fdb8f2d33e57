import type { SourceRow } from './sourceRow.js';

/** The row a JSON object's text gives, or a row with the problem when it is not valid JSON or not an object. */
export function jsonElementToRow(text: string, line: number, what: 'element' | 'line'): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which is personal data: only say that it failed.
    return { line, columns: [], values: [], problems: [`the ${what} is not valid JSON`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, columns: [], values: [], problems: [`the ${what} is not a JSON object`] };
  }
  return { line, columns: Object.keys(value), values: Object.values(value), problems: [] };
}
