import { parse, type Location } from 'graphql';

/**
 * The schema coordinates ("Type", "Type.field", "Type.field(arg:)") that our schema marks with
 * a "# ASSUMED" comment: in the comment block right above the definition, or above the type or
 * field that holds it (a type's assumption covers its fields, a field's its arguments).
 */
export function assumedCoordinates(schemaText: string): Set<string> {
  const lines = schemaText.split(/\r?\n/);
  const marked = (loc: Location | undefined) => loc !== undefined && isAssumedAbove(lines, loc.startToken.line);
  const assumed = new Set<string>();
  for (const definition of parse(schemaText).definitions) {
    if (!('name' in definition) || definition.name === undefined) continue;
    const typeName = definition.name.value;
    const typeAssumed = marked(definition.loc);
    if (typeAssumed) assumed.add(typeName);
    const fields = 'fields' in definition ? (definition.fields ?? []) : [];
    for (const field of fields) {
      const coordinate = `${typeName}.${field.name.value}`;
      const fieldAssumed = typeAssumed || marked(field.loc);
      if (fieldAssumed) assumed.add(coordinate);
      const args = 'arguments' in field ? (field.arguments ?? []) : [];
      for (const argument of args) if (fieldAssumed || marked(argument.loc)) assumed.add(`${coordinate}(${argument.name.value}:)`);
    }
  }
  return assumed;
}

/** Whether the comment lines right above a (1-based) line hold an ASSUMED note. */
export function isAssumedAbove(lines: readonly string[], line: number): boolean {
  for (let index = line - 2; index >= 0; index--) {
    const text = lines[index]!.trim();
    if (!text.startsWith('#')) return false;
    if (/^#\s*ASSUMED\b/.test(text) || /\bis ASSUMED\b|\bare ASSUMED\b/.test(text)) return true;
  }
  return false;
}
