import { readdir, readFile } from 'node:fs/promises';

// graphql/ is shipped beside dist/ (package.json "files"): two levels up from src/doctor/ and from dist/doctor/ alike.
const GRAPHQL_DIR = new URL('../../graphql/', import.meta.url);
const OPERATIONS_DIR = new URL('operations/', GRAPHQL_DIR);

export interface GraphqlFile {
  /** Relative to graphql/, as a person finds it: "operations/Visitors.graphql". */
  name: string;
  text: string;
}

/** Our schema (graphql/schema.graphql), the one the typed operations were generated against. */
export async function readOurSchema(): Promise<GraphqlFile> {
  return { name: 'schema.graphql', text: await readFile(new URL('schema.graphql', GRAPHQL_DIR), 'utf8') };
}

/** Every operation file the client sends (graphql/operations/*.graphql), by name. */
export async function readOperations(): Promise<GraphqlFile[]> {
  const names = (await readdir(OPERATIONS_DIR)).filter((name) => name.endsWith('.graphql')).sort();
  return Promise.all(names.map(async (name) => ({ name: `operations/${name}`, text: await readFile(new URL(name, OPERATIONS_DIR), 'utf8') })));
}
