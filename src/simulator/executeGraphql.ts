import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  Source,
  execute,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationTypeNode,
} from 'graphql';
import { formatFieldError } from './apiErrors.js';
import { coerceVariables } from './coerceVariables.js';
import type { RequestContext } from './rootResolvers.js';

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlAnswer {
  status: number;
  body: Record<string, unknown>;
  operationType: OperationTypeNode | null;
}

/**
 * One GraphQL call, answered as iAdvize answers: 400 for a document or variables the schema
 * rejects (ASSUMED for the status; the article shows the body), 200 with `data` and any field
 * errors otherwise.
 */
export async function executeGraphql(
  schema: GraphQLSchema,
  rootValue: object,
  request: GraphqlRequestBody,
  refuseIntrospection: boolean,
  context: RequestContext,
): Promise<GraphqlAnswer> {
  if (typeof request.query !== 'string') return rejected('Request body must have a string "query"');
  const variables = request.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables)) return rejected('"variables" must be an object');
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;

  const source = new Source(request.query);
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    return rejected((error as GraphQLError).message, (error as GraphQLError).locations);
  }
  const validationErrors = validate(schema, document, refuseIntrospection ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules);
  if (validationErrors.length > 0) return rejected(validationErrors[0]!.message, validationErrors[0]!.locations);
  const operation = getOperationAST(document, operationName);
  if (operation == null) return rejected('Unknown or ambiguous operation name');

  const coerced = coerceVariables(schema, operation, variables as Record<string, unknown>, source);
  if ('error' in coerced) return { status: 400, body: { errors: [coerced.error] }, operationType: operation.operation };

  const result = await execute({
    schema,
    document,
    rootValue,
    contextValue: context,
    variableValues: variables as Record<string, unknown>,
    operationName,
  });
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors !== undefined && result.errors.length > 0) body.errors = result.errors.map(formatFieldError);
  return { status: 200, body, operationType: operation.operation };
}

function rejected(message: string, locations?: readonly { line: number; column: number }[]): GraphqlAnswer {
  const error = {
    message,
    ...(locations ? { locations } : {}),
    extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' },
  };
  return { status: 400, body: { errors: [error] }, operationType: null };
}
