import {
  GraphQLError,
  coerceInputValue,
  getLocation,
  getVariableValues,
  print,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type Source,
} from 'graphql';

export type CoercedVariables = { coerced: Record<string, unknown> } | { error: Record<string, unknown> };

/**
 * Coerces the request's variables; on a bad value, answers the way the article's example does
 * (iAdvize's server is Sangria-based): one INVALID_ARGUMENT error whose message quotes the
 * variable's type, its value as sent, the reason, and the caret under the variable.
 * The message embeds the variable's value, personal data included: clients must never log it.
 */
export function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>, source: Source): CoercedVariables {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 1 });
  if (result.errors === undefined) return { coerced: result.coerced };

  const failed = result.errors[0]?.nodes?.find((node) => node.kind === 'VariableDefinition');
  if (failed === undefined || failed.kind !== 'VariableDefinition') {
    return { error: invalidArgumentError(result.errors[0]?.message ?? 'Invalid variables', []) };
  }
  const name = failed.variable.name.value;
  const value = inputs[name];
  const reason = value === undefined ? 'value is missing' : coercionReason(schema, failed.type, value);
  const location = getLocation(source, failed.loc?.start ?? 0);
  const sourceLine = source.body.split(/\r\n|\r|\n/)[location.line - 1] ?? '';
  const message =
    `Variable '$${name}' expected value of type '${print(failed.type)}' but got: ${JSON.stringify(value ?? null)}. ` +
    `Reason: ${reason} (line ${location.line}, column ${location.column}):\n` +
    `${sourceLine}\n${' '.repeat(location.column - 1)}^`;
  return { error: invalidArgumentError(message, [location]) };
}

function coercionReason(schema: GraphQLSchema, typeNode: Parameters<typeof typeFromAST>[1], value: unknown): string {
  const type = typeFromAST(schema, typeNode) as GraphQLInputType | undefined;
  if (type === undefined) return 'unknown type';
  let reason = 'invalid value';
  let found = false;
  coerceInputValue(value, type, (path, _invalid, error: GraphQLError) => {
    if (found) return;
    found = true;
    const field = path.at(-1);
    reason = field === undefined ? error.message : `'${String(field)}' ${error.message}`;
  });
  return reason;
}

/** The article's key order for this error: extensions, message, locations. */
function invalidArgumentError(message: string, locations: { line: number; column: number }[]): Record<string, unknown> {
  return { extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' }, message, locations };
}
