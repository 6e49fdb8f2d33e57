#!/usr/bin/env node
// Replaces graphql/schema.graphql by the live API's schema, read by introspection.
// Usage: IADVIZE_TOKEN=… npm run schema:pull -- [--endpoint <url>] [--out <file>]
// The token comes only from the environment (a flag would land in shell history and `ps`).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';

const DEFAULT_ENDPOINT = 'https://api.iadvize.com/graphql';
const DEFAULT_OUT = 'graphql/schema.graphql';
const TIMEOUT_MS = 30_000;
// Only names of this shape are echoed from an error body; anything else in it stays unprinted.
const ERROR_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

class PullError extends Error {}

async function pullSchema() {
  const { values } = parseArgs({
    options: { endpoint: { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const endpoint = parseEndpoint(values.endpoint ?? process.env.IADVIZE_ENDPOINT ?? DEFAULT_ENDPOINT);
  const out = values.out ?? DEFAULT_OUT;
  const token = process.env.IADVIZE_TOKEN;
  if (token === undefined || token.trim() === '') throw new PullError('IADVIZE_TOKEN is not set; it must hold an access token for the API');

  const introspection = await introspect(endpoint, token.trim());
  let schema;
  try {
    schema = buildClientSchema(introspection);
  } catch (error) {
    throw new PullError(`${endpoint} answered an introspection result graphql cannot build a schema from (${error.name})`);
  }
  const pulledOn = new Date().toISOString().slice(0, 10);
  const header = [
    `# Pulled from ${endpoint} on ${pulledOn} by \`npm run schema:pull\`; do not edit by hand.`,
    '# Next: run `npm run codegen` so the typed operations follow this schema.',
  ].join('\n');
  await writeAtomically(out, `${header}\n\n${printSchema(schema)}\n`);
  process.stdout.write(`Wrote ${out} from ${endpoint}. Next: npm run codegen\n`);
}

/** The endpoint as printed and called: credentials and query string left out, since both get printed. */
function parseEndpoint(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new PullError('--endpoint (or IADVIZE_ENDPOINT) is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PullError('--endpoint (or IADVIZE_ENDPOINT) must be an http(s) URL');
  return `${url.origin}${url.pathname}`;
}

async function introspect(endpoint, token) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery(), operationName: 'IntrospectionQuery' }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (error.cause?.code ?? error.cause?.message ?? error.name);
    throw new PullError(`could not reach ${endpoint}: ${reason}`);
  }
  let body = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // not JSON: only the status is reported
  }
  const names = errorNames(body);
  const detail = names.length > 0 ? ` (${names.join(', ')})` : '';
  if (!response.ok) throw new PullError(`${endpoint} answered HTTP ${response.status}${detail}`);
  if (names.length > 0 || body?.errors !== undefined) throw new PullError(`${endpoint} answered HTTP ${response.status} with GraphQL errors${detail}`);
  if (body?.data?.__schema === undefined) throw new PullError(`${endpoint} answered HTTP ${response.status} without an introspection result`);
  return body.data;
}

/** GraphQL `extensions.name`s and an OAuth `error` code: names, never messages, which may quote the request. */
function errorNames(body) {
  const candidates = [];
  if (typeof body?.error === 'string') candidates.push(body.error);
  if (Array.isArray(body?.errors)) for (const error of body.errors) candidates.push(error?.extensions?.name ?? error?.extensions?.code);
  return [...new Set(candidates.filter((name) => typeof name === 'string' && ERROR_NAME_PATTERN.test(name)))];
}

// A failure half-way never leaves a truncated schema in place of the last good one.
async function writeAtomically(path, text) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

try {
  await pullSchema();
} catch (error) {
  if (error instanceof PullError || String(error?.code).startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(`schema:pull: ${error.message}\n`);
  } else {
    // A bug here: its name and frames, not its message, in case the message quotes an answer.
    const frames = String(error?.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line));
    process.stderr.write(`schema:pull: internal error (${error?.name})\n${frames.join('\n')}\n`);
  }
  process.exitCode = 1;
}
