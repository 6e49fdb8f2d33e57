import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  /** The GraphQL URL to give the CLI in place of the simulator's. */
  graphqlUrl: string;
  /** The variables of every GraphQL call that went through, in order, as JSON text. */
  variables: string[];
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of the simulator's GraphQL endpoint that keeps what the CLI sent: a test
 * can then check the very text searched, whatever the API did with it.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const variables: string[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      variables.push(JSON.stringify((JSON.parse(body.toString('utf8')) as { variables?: unknown }).variables ?? null));
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(target, { method: 'POST', headers, body });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    variables,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
