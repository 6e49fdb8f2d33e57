import { readFileSync } from 'node:fs';
import { GraphQLError, GraphQLScalarType, Kind, buildSchema, type GraphQLSchema, type ValueNode } from 'graphql';
import { UUID_PATTERN } from '../uuidPattern.js';

export const SCHEMA_URL = new URL('../../graphql/schema.graphql', import.meta.url);

// ISO-8601 date-time with a zone: Z or ±hh:mm (docs/api-notes.md#queries).
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The project's schema file (or another, to play an API that differs), with the two custom scalars given their server-side checks. */
export function loadSchema(path: string | URL = SCHEMA_URL): GraphQLSchema {
  const schema = buildSchema(readFileSync(path, 'utf8'));
  defineScalar(schema, 'UUID', (value) => typeof value === 'string' && UUID_PATTERN.test(value));
  defineScalar(schema, 'DateTime', (value) => typeof value === 'string' && DATE_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value)));
  return schema;
}

// buildSchema gives custom scalars pass-through behaviour; a server must reject bad values,
// and the only way to add that to an SDL-built schema without a schema-tools dependency is to
// set the parse functions on the scalar it built.
function defineScalar(schema: GraphQLSchema, name: string, isValid: (value: unknown) => boolean): void {
  const scalar = schema.getType(name);
  if (!(scalar instanceof GraphQLScalarType)) throw new Error(`schema.graphql has no scalar ${name}`);
  const reason = `${name} expected`;
  scalar.parseValue = (value: unknown) => {
    if (!isValid(value)) throw new GraphQLError(reason);
    return value;
  };
  scalar.parseLiteral = (node: ValueNode) => {
    if (node.kind !== Kind.STRING || !isValid(node.value)) throw new GraphQLError(reason);
    return node.value;
  };
  scalar.serialize = (value: unknown) => value;
}
