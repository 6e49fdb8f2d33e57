import { request } from 'undici';

/** What graphql-request reads of a fetch Response. */
interface LightResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * The `fetch` graphql-request calls, on undici's `request` instead of the global fetch. On the
 * bench's loopback runs fetch's WHATWG machinery (Request and Response objects, web streams, a
 * transferable signal per call) was the larger part of the tool's CPU per call, and `request`
 * costs about a third of it. It fails as fetch does, so that classifyApiError reads both alike:
 * the abort signal's reason when aborted, otherwise TypeError("fetch failed") with the socket's
 * error as its cause.
 */
export async function requestFetch(input: string | URL | Request, init: RequestInit = {}): Promise<LightResponse> {
  const signal = init.signal ?? undefined;
  try {
    const answer = await request(input instanceof Request ? input.url : input, {
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      headers: plainHeaders(init.headers),
      body: typeof init.body === 'string' ? init.body : null,
      ...(signal !== undefined ? { signal } : {}),
    });
    const body = await answer.body.text();
    const headers = answer.headers;
    return {
      status: answer.statusCode,
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      headers: {
        get(name: string): string | null {
          const value = headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      text: () => Promise.resolve(body),
    };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers === undefined) return plain;
  const entries = headers instanceof Headers ? headers.entries() : Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries) plain[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  return plain;
}
