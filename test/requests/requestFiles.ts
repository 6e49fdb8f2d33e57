import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadOutcome } from '../../src/requests/personRequest.js';
import { readRequests, type ReadRequestsOptions } from '../../src/requests/readRequests.js';

/** A temp directory for one test file; remove() in afterAll. */
export async function createTempDirectory(): Promise<{ path: (name: string) => string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'requests-test-'));
  return { path: (name) => join(directory, name), remove: () => rm(directory, { recursive: true, force: true }) };
}

export async function writeRequestFile(path: string, content: string | Buffer): Promise<string> {
  await writeFile(path, content);
  return path;
}

export async function readAll(file: string, options?: ReadRequestsOptions): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  for await (const outcome of readRequests(file, options)) outcomes.push(outcome);
  return outcomes;
}

/** A valid request as readRequests yields it, with every list empty unless given. */
export function request(requestId: string, file: string, line: number, fields: Partial<Omit<RequestFields, 'requestId'>> = {}): ReadOutcome {
  return {
    kind: 'request',
    request: {
      requestId,
      source: { file, line },
      emails: [],
      phones: [],

      searches: [],
      conversationIds: [],
      visitorIds: [],
      ...fields,
    },
  };
}

export function rejected(
  requestId: string,
  file: string,
  line: number,
  problems: { line: number; reason: string }[],
  dates: { receivedAt?: string; receivedAtUnreadable?: true } = {},
): ReadOutcome {
  return { kind: 'rejected', rejected: { requestId, source: { file, line }, problems, ...dates } };
}

type RequestFields = Extract<ReadOutcome, { kind: 'request' }>['request'];
