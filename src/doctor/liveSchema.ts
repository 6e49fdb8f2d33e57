import { buildClientSchema, type GraphQLSchema } from 'graphql';
import { ApiError } from '../api/apiError.js';
import type { IadvizeClient } from '../api/iadvizeClient.js';

/** The API's schema by introspection, or the code it refused it with (many production APIs disable introspection). */
export async function liveSchema(client: IadvizeClient): Promise<{ schema: GraphQLSchema } | { refused: string }> {
  let answer;
  try {
    answer = await client.introspect();
  } catch (error) {
    if (error instanceof ApiError) return { refused: error.code };
    throw error;
  }
  try {
    return { schema: buildClientSchema(answer) };
  } catch {
    return { refused: 'UNREADABLE_INTROSPECTION' };
  }
}
