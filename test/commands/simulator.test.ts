import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from '@jest/globals';
import { UsageError } from '../../src/cliErrors.js';
import { describeFaults, parseSimulatorOptions, type RawSimulatorOptions } from '../../src/commands/simulator.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATIC_TOKEN = 'simulator-static-token';
const PROJECT_FR = 6949;

describe('parseSimulatorOptions', () => {
  test('no flags: port 4000 on 127.0.0.1, the fixture dataset, no faults', () => {
    expect(parseSimulatorOptions({})).toEqual({ port: 4000, host: '127.0.0.1', datasetPath: undefined, faults: {} });
  });

  test('every flag becomes its FaultOptions field', () => {
    const raw: RawSimulatorOptions = {
      port: '0',
      host: '::1',
      dataset: 'my/dataset.json',
      seed: '42',
      latency: '50',
      latencyJitter: '20',
      rateLimit: '2.5',
      rateBurst: '10',
      retryAfter: 'http-date',
      fault: ['bad_gateway=0.1', 'drop_after_commit=0.05', 'rate_limited=.2'],
      tokenLifetime: '60',
      visitorReanonymize: 'success',
    };
    expect(parseSimulatorOptions(raw)).toEqual({
      port: 0,
      host: '::1',
      datasetPath: 'my/dataset.json',
      faults: {
        seed: 42,
        latencyMs: 50,
        latencyJitterMs: 20,
        rateLimit: { perSecond: 2.5, burst: 10, retryAfter: 'http-date' },
        probabilities: { bad_gateway: 0.1, drop_after_commit: 0.05, rate_limited: 0.2 },
        tokenLifetimeSeconds: 60,
        visitorReanonymize: 'success',
      },
    });
  });

  test('the burst defaults to the rate, and to at least one call', () => {
    expect(parseSimulatorOptions({ rateLimit: '3' }).faults.rateLimit).toEqual({ perSecond: 3, burst: 3 });
    expect(parseSimulatorOptions({ rateLimit: '2.5' }).faults.rateLimit).toEqual({ perSecond: 2.5, burst: 3 });
    expect(parseSimulatorOptions({ rateLimit: '0.2' }).faults.rateLimit).toEqual({ perSecond: 0.2, burst: 1 });
  });

  test('probabilities adding up to exactly 1 are accepted despite floating point', () => {
    const { faults } = parseSimulatorOptions({ fault: ['bad_gateway=0.1', 'gateway_timeout=0.2', 'retryable_field_error=0.7'] });
    expect(faults.probabilities).toEqual({ bad_gateway: 0.1, gateway_timeout: 0.2, retryable_field_error: 0.7 });
  });

  test('probabilities adding up to more than 1 are rejected', () => {
    expect(() => parseSimulatorOptions({ fault: ['bad_gateway=0.6', 'gateway_timeout=0.5'] })).toThrow(
      new UsageError('--fault probabilities add up to 1.1; a call can take at most one fault, so the sum must be at most 1'),
    );
  });

  const badInputs: [string, RawSimulatorOptions][] = [
    ['--port', { port: 'abc' }],
    ['--port', { port: '' }],
    ['--port', { port: '65536' }],
    ['--port', { port: '-1' }],
    ['--port', { port: '4000.5' }],
    ['--port', { port: '0x10' }],
    ['--host', { host: ' ' }],
    ['--seed', { seed: 'lucky' }],
    ['--seed', { seed: '4294967296' }],
    ['--latency', { latency: '-5' }],
    ['--latency', { latency: '1e3' }],
    ['--latency-jitter', { latencyJitter: 'some' }],
    ['--rate-limit', { rateLimit: '0' }],
    ['--rate-limit', { rateLimit: 'fast' }],
    ['--rate-burst', { rateLimit: '5', rateBurst: '0' }],
    ['--rate-burst', { rateLimit: '5', rateBurst: '2.5' }],
    ['--rate-burst', { rateBurst: '5' }],
    ['--retry-after', { rateLimit: '5', retryAfter: 'soon' }],
    ['--retry-after', { retryAfter: 'none' }],
    ['--fault', { fault: ['nope=0.1'] }],
    ['--fault', { fault: ['bad_gateway'] }],
    ['--fault', { fault: ['bad_gateway=1.5'] }],
    ['--fault', { fault: ['bad_gateway=-0.1'] }],
    ['--fault', { fault: ['bad_gateway=often'] }],
    ['--fault', { fault: ['bad_gateway=0.1', 'bad_gateway=0.2'] }],
    ['--token-lifetime', { tokenLifetime: '0' }],
    ['--token-lifetime', { tokenLifetime: 'forever' }],
    ['--visitor-reanonymize', { visitorReanonymize: 'maybe' }],
  ];
  test.each(badInputs)('%s: %j is a UsageError naming the flag', (flag, raw) => {
    let thrown: unknown;
    try {
      parseSimulatorOptions(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message.startsWith(flag)).toBe(true);
  });
});

describe('describeFaults', () => {
  test('says "none" when the simulator plays no faults', () => {
    expect(describeFaults({})).toBe('none');
  });

  test('names every active fault', () => {
    const described = describeFaults(parseSimulatorOptions({ latency: '5', rateLimit: '1', fault: ['bad_gateway=0.25'], seed: '3' }).faults);
    expect(described).toBe('latency 5 ms; rate limit 1/s, burst 1, Retry-After seconds; bad_gateway 25%; seed 3');
  });
});

describe('iadvize-erasure simulator (built CLI)', () => {
  const children: ChildProcessWithoutNullStreams[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  function startCli(args: string[]): ChildProcessWithoutNullStreams {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
    children.push(child);
    return child;
  }

  test('serves the fixture on the port it really bound, answers a Visitors query, and exits 0 on SIGTERM', async () => {
    const child = startCli(['simulator', '--port', '0', '--seed', '7']);
    const exited = exitOf(child);
    const banner = await outputUntil(child, /GraphQL\s+(http:\/\/127\.0\.0\.1:(\d+)\/graphql)/, 10_000);
    const [, graphqlUrl, port] = banner.match!;
    expect(Number(port)).toBeGreaterThan(0);
    expect(banner.text).toContain(STATIC_TOKEN);
    expect(banner.text).toContain('dpo@example.com');
    expect(banner.text).toContain(`http://127.0.0.1:${port}/oauth2/token`);
    expect(banner.text).toContain('Ctrl-C to stop');

    const response = await fetch(graphqlUrl!, {
      method: 'POST',
      headers: { authorization: `Bearer ${STATIC_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        operationName: 'Visitors',
        query: 'query Visitors($projectId: Int!) { visitors(projectId: $projectId, first: 5) { edges { node { id } } } }',
        variables: { projectId: PROJECT_FR },
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { visitors: { edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.visitors.edges.length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    const { code, signal } = await withinMs(exited, 5_000, 'the simulator did not exit within 5 s of SIGTERM');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  test('an unknown --fault kind exits 1 with a one-line message naming the flag', async () => {
    const child = startCli(['simulator', '--port', '0', '--fault', 'nope=0.1']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const { code } = await withinMs(exitOf(child), 10_000, 'the CLI did not exit within 10 s');
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^iadvize-erasure: --fault: unknown kind "nope"/);
  });
});

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Collects the child's stdout until a line matches; fails if it exits or the time runs out first. */
function outputUntil(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs: number): Promise<{ text: string; match: RegExpMatchArray | null }> {
  let text = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const found = new Promise<{ text: string; match: RegExpMatchArray | null }>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = text.match(pattern);
      if (match !== null) resolve({ text, match });
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited (${code}) before printing ${pattern}; stdout: ${text}; stderr: ${stderr}`)));
  });
  return withinMs(found, timeoutMs, `no ${pattern} on stdout within ${timeoutMs} ms`);
}

async function withinMs<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
