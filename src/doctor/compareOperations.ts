import { basename } from 'node:path';
import {
  Kind,
  Source,
  TypeInfo,
  getNamedType,
  parse,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
} from 'graphql';
import { isAssumedAbove } from './assumedCoordinates.js';
import type { GraphqlFile } from './graphqlFiles.js';

/** One thing an operation of ours needs that the live schema has otherwise. */
export interface SchemaDifference {
  /** What differs, by our schema's name for it: "Conversation.projectId", "Query.visitors(first:)", "Visitor". */
  coordinate: string;
  /** Our schema or the operation marks it "# ASSUMED". */
  assumed: boolean;
  /** graphql-js's validation message: names from the two schemas, never data. */
  message: string;
  /** Each place an operation meets it, by file: "ResolutionSearches.graphql:52,55". */
  where: string[];
}

/**
 * Validates every operation of graphql/operations (with the fragments it spreads) against the
 * live schema, and names each difference by the coordinate it has in our schema, the assumed
 * ones first. Our schema says what each node of an operation is; the live one, whether it holds.
 */
export function compareOperations(
  live: GraphQLSchema,
  ours: GraphQLSchema,
  operations: readonly GraphqlFile[],
  assumed: ReadonlySet<string>,
): SchemaDifference[] {
  const parsed = operations.map((file) => ({ file, document: parse(new Source(file.text, file.name)) }));
  const linesOf = new Map(operations.map((file) => [file.name, file.text.split(/\r?\n/)]));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of parsed)
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const differences = new Map<string, SchemaDifference & { places: Map<string, number[]> }>();
  for (const { document } of parsed) {
    for (const operation of document.definitions) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const whole: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsOf(operation, fragments)] };
      const coordinates = coordinatesOf(whole, ours);
      for (const error of validate(live, whole)) {
        const nodes = error.nodes ?? [];
        const node = nodes.findLast((candidate) => coordinates.has(candidate)) ?? nodes[0];
        const coordinate = (node !== undefined ? coordinates.get(node) : undefined) ?? `operation ${operation.name?.value ?? '(anonymous)'}`;
        const place = node?.loc !== undefined ? { file: node.loc.source.name, line: node.loc.startToken.line } : undefined;
        const markedInOperation = place !== undefined && isAssumedAbove(linesOf.get(place.file) ?? [], place.line);
        const key = `${coordinate}\n${error.message}`;
        const difference = differences.get(key) ?? { coordinate, assumed: false, message: error.message, where: [], places: new Map() };
        difference.assumed ||= assumed.has(coordinate) || markedInOperation;
        if (place !== undefined) {
          const lines = difference.places.get(basename(place.file)) ?? [];
          if (!lines.includes(place.line)) lines.push(place.line);
          difference.places.set(basename(place.file), lines);
        }
        differences.set(key, difference);
      }
    }
  }
  return [...differences.values()]
    .map(({ places, ...difference }) => ({ ...difference, where: [...places].map(([file, lines]) => `${file}:${lines.sort((a, b) => a - b).join(',')}`) }))
    .sort((a, b) => Number(b.assumed) - Number(a.assumed) || a.coordinate.localeCompare(b.coordinate));
}

/** The fragments an operation spreads, directly or through other fragments. */
function fragmentsOf(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): DefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: ASTNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || found.has(name)) return;
        found.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...found.values()];
}

/** Each node of the document, by what our schema calls it: fields, arguments, input fields, types, and variables by where they go. */
function coordinatesOf(document: DocumentNode, ours: GraphQLSchema): Map<ASTNode, string> {
  const coordinates = new Map<ASTNode, string>();
  const typeInfo = new TypeInfo(ours);
  /** The argument or input field a value is being given to, innermost last. */
  const receivers: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent != null) coordinates.set(node, `${parent.name}.${node.name.value}`);
      },
      Argument: {
        enter(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          const coordinate = parent != null && field != null ? `${parent.name}.${field.name}(${node.name.value}:)` : node.name.value;
          coordinates.set(node, coordinate);
          receivers.push(coordinate);
        },
        leave() {
          receivers.pop();
        },
      },
      ObjectField: {
        enter(node) {
          const parent = getNamedType(typeInfo.getParentInputType());
          const coordinate = parent != null ? `${parent.name}.${node.name.value}` : node.name.value;
          coordinates.set(node, coordinate);
          receivers.push(coordinate);
        },
        leave() {
          receivers.pop();
        },
      },
      Variable(node) {
        const receiver = receivers.at(-1);
        if (receiver !== undefined) coordinates.set(node, receiver);
      },
      VariableDefinition(node) {
        coordinates.set(node, namedTypeOf(node.type));
      },
      NamedType(node) {
        coordinates.set(node, node.name.value);
      },
    }),
  );
  return coordinates;
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}
