import { buildSchema } from 'graphql';
import type { TokenProvider } from '../api/tokenProvider.js';
import { createApiClient, type ApiConnection } from '../run/apiConnection.js';
import { checkApi } from '../run/checkApi.js';
import { assumedCoordinates } from './assumedCoordinates.js';
import { compareOperations, type SchemaDifference } from './compareOperations.js';
import { readOperations, readOurSchema } from './graphqlFiles.js';
import { liveSchema } from './liveSchema.js';

/** One line of `doctor`'s answer. */
export interface DoctorLine {
  status: 'ok' | 'fail' | 'skip';
  text: string;
  /** Under a schema line: each difference. */
  differences?: SchemaDifference[];
}

/**
 * `iadvize-erasure doctor`: the preflight's checks, each on its line, then graphql/operations
 * against the live schema where the API allows introspection. Makes no mutation.
 */
export async function diagnose(connection: ApiConnection, tokens: TokenProvider, projectIds: readonly number[]): Promise<DoctorLine[]> {
  const checks = await checkApi(connection, tokens, projectIds);
  const lines: DoctorLine[] = checks.map((check) => ({ status: check.ok ? 'ok' : 'fail', text: check.detail }));
  const connected = checks.some((check) => check.subject === 'credentials' && check.ok);
  if (!connected) {
    const checked = new Set(checks.map((check) => check.projectId));
    for (const projectId of projectIds) if (!checked.has(projectId)) lines.push({ status: 'skip', text: `project ${projectId} not checked` });
    lines.push({ status: 'skip', text: 'schema not compared' });
    return lines;
  }
  lines.push(await schemaLine(connection, tokens));
  return lines;
}

async function schemaLine(connection: ApiConnection, tokens: TokenProvider): Promise<DoctorLine> {
  const live = await liveSchema(createApiClient(connection, 1, tokens));
  if ('refused' in live) return { status: 'skip', text: `schema not compared: the API refused introspection (${live.refused})` };
  const ours = await readOurSchema();
  const operations = await readOperations();
  const differences = compareOperations(live.schema, buildSchema(ours.text), operations, assumedCoordinates(ours.text));
  if (differences.length === 0) return { status: 'ok', text: `schema: the ${operations.length} files of graphql/operations are valid against the live schema` };
  const assumed = differences.filter((difference) => difference.assumed).length;
  return {
    status: 'fail',
    text: `schema: ${differences.length} difference${differences.length === 1 ? '' : 's'} between graphql/operations and the live schema (${assumed} assumed)`,
    differences,
  };
}
