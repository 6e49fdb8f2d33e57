import { loggableColumnName } from '../loggableColumnName.js';

/** How messages name a sheet: `sheet "Requests"`, or `sheet 2` (its tab position) when its name could be data. */
export function sheetLabel(name: string, position: number): string {
  const loggable = loggableColumnName(name, position);
  return loggable === name ? `sheet "${name}"` : `sheet ${position}`;
}
