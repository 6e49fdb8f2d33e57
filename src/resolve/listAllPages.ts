import { ApiError } from '../api/apiError.js';

/** docs/api-notes.md#pagination: at most 100 per page. */
export const PAGE_SIZE = 100;

interface Connection<N> {
  edges: { node: N }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Every node of a Relay connection, page after page, until hasNextPage is false; from `firstPage` when another call fetched it. */
export async function listAllPages<N>(fetchPage: (after: string | null) => Promise<Connection<N>>, firstPage?: Connection<N>): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  let page: Connection<N> = firstPage ?? (await fetchPage(after));
  for (;;) {
    for (const edge of page.edges) nodes.push(edge.node);
    if (!page.pageInfo.hasNextPage) return nodes;
    // A server that says "more" without a new cursor would loop forever.
    if (page.pageInfo.endCursor === null || page.pageInfo.endCursor === after) throw new ApiError('final', 'PAGINATION_STUCK');
    after = page.pageInfo.endCursor;
    page = await fetchPage(after);
  }
}
