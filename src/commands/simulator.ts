import type { Command } from 'commander';
import { UsageError } from '../cliErrors.js';
import { decimalOf, parseWholeFlag } from './numberFlags.js';
import { DEFAULT_DATASET_URL, loadDataset, type Dataset } from '../simulator/dataset.js';
import { FAULT_KINDS, type FaultKind, type FaultOptions, type RetryAfterStyle } from '../simulator/faultPlan.js';
import { startSimulator, type Simulator } from '../simulator/startSimulator.js';
import { nextTerminationSignal } from '../run/terminationSignals.js';

export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';

const RETRY_AFTER_STYLES: readonly RetryAfterStyle[] = ['seconds', 'http-date', 'none'];
const VISITOR_REANONYMIZE_ANSWERS = ['not_found', 'success'] as const;
// Probabilities written as decimals rarely add up exactly: 0.1 + 0.2 + 0.7 > 1 in floating point.
const PROBABILITY_SUM_TOLERANCE = 1e-9;

/** The simulator command's flags as commander hands them over: strings, not yet checked. */
export interface RawSimulatorOptions {
  port?: string;
  host?: string;
  dataset?: string;
  seed?: string;
  latency?: string;
  latencyJitter?: string;
  rateLimit?: string;
  rateBurst?: string;
  retryAfter?: string;
  /** Every `--fault kind=probability`, in order. */
  fault?: string[];
  tokenLifetime?: string;
  visitorReanonymize?: string;
  schema?: string;
}

export interface SimulatorCommandOptions {
  port: number;
  host: string;
  /** The dataset file to serve; the fixture (fixtures/dataset.json) when undefined. */
  datasetPath: string | undefined;
  faults: FaultOptions;
  /** The schema to serve (`--schema`); graphql/schema.graphql when undefined. */
  schemaPath?: string;
}

export function registerSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('Serve the local stand-in of the iAdvize GraphQL API, to explore by hand')
    .option('--port <n>', `port to listen on, 0 for any free one (default: ${DEFAULT_PORT})`)
    .option('--host <h>', `address to listen on (default: ${DEFAULT_HOST})`)
    .option('--dataset <path>', 'account data to serve (default: fixtures/dataset.json)')
    .option('--seed <n>', 'seed for every random choice: the same seed plays the same faults')
    .option('--latency <ms>', 'delay added to every GraphQL call')
    .option('--latency-jitter <ms>', 'a further random 0..ms per call')
    .option('--rate-limit <perSecond>', 'GraphQL calls allowed per second; past it, 429')
    .option('--rate-burst <n>', 'calls allowed at once by the rate limit (default: the rate)')
    .option('--retry-after <style>', `Retry-After on the rate limit's 429: ${RETRY_AFTER_STYLES.join('|')} (default: seconds)`)
    .option('--fault <kind=probability>', `chance per call of a fault, repeatable; kinds: ${FAULT_KINDS.join(', ')}`, collect)
    .option('--token-lifetime <seconds>', 'lifetime of password-grant tokens (default: 86400, as the API)')
    .option('--schema <path>', 'GraphQL schema (SDL) to serve instead of graphql/schema.graphql, to try `doctor` on an API that differs')
    .option('--visitor-reanonymize <answer>', `answer to anonymizing a visitor twice: ${VISITOR_REANONYMIZE_ANSWERS.join('|')} (default: not_found)`)
    .action(async (raw: RawSimulatorOptions) => {
      await serveSimulator(parseSimulatorOptions(raw));
    });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Checks the flags and turns them into the simulator's options; a bad value throws a UsageError naming its flag. */
export function parseSimulatorOptions(raw: RawSimulatorOptions): SimulatorCommandOptions {
  const faults: FaultOptions = {};
  if (raw.seed !== undefined) faults.seed = parseWholeFlag('--seed', raw.seed, 0, 0xffffffff);
  if (raw.latency !== undefined) faults.latencyMs = parseWholeFlag('--latency', raw.latency, 0, 600_000);
  if (raw.latencyJitter !== undefined) faults.latencyJitterMs = parseWholeFlag('--latency-jitter', raw.latencyJitter, 0, 600_000);
  const rateLimit = parseRateLimit(raw);
  if (rateLimit !== undefined) faults.rateLimit = rateLimit;
  const probabilities = parseFaultProbabilities(raw.fault ?? []);
  if (probabilities !== undefined) faults.probabilities = probabilities;
  if (raw.tokenLifetime !== undefined) faults.tokenLifetimeSeconds = parseWholeFlag('--token-lifetime', raw.tokenLifetime, 1, 10 * 365 * 86_400);
  if (raw.visitorReanonymize !== undefined) {
    faults.visitorReanonymize = parseChoice('--visitor-reanonymize', raw.visitorReanonymize, VISITOR_REANONYMIZE_ANSWERS);
  }

  const host = raw.host ?? DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  return {
    port: raw.port === undefined ? DEFAULT_PORT : parseWholeFlag('--port', raw.port, 0, 65_535),
    host,
    datasetPath: raw.dataset,
    ...(raw.schema !== undefined ? { schemaPath: raw.schema } : {}),
    faults,
  };
}

function parseRateLimit(raw: RawSimulatorOptions): FaultOptions['rateLimit'] {
  if (raw.rateLimit === undefined) {
    // Both only shape the rate limit's answers: alone they would silently do nothing.
    if (raw.rateBurst !== undefined) throw new UsageError('--rate-burst needs --rate-limit');
    if (raw.retryAfter !== undefined) throw new UsageError("--retry-after sets the rate limit's Retry-After: it needs --rate-limit");
    return undefined;
  }
  const perSecond = parseDecimal('--rate-limit', raw.rateLimit);
  if (perSecond <= 0) throw new UsageError(`--rate-limit must be more than 0 calls per second, got "${raw.rateLimit}"`);
  // A bucket smaller than one token would refuse every call.
  const burst = raw.rateBurst === undefined ? Math.max(1, Math.ceil(perSecond)) : parseWholeFlag('--rate-burst', raw.rateBurst, 1, 1_000_000);
  if (raw.retryAfter === undefined) return { perSecond, burst };
  return { perSecond, burst, retryAfter: parseChoice('--retry-after', raw.retryAfter, RETRY_AFTER_STYLES) };
}

function parseFaultProbabilities(specs: readonly string[]): Partial<Record<FaultKind, number>> | undefined {
  if (specs.length === 0) return undefined;
  const probabilities: Partial<Record<FaultKind, number>> = {};
  for (const spec of specs) {
    const separator = spec.indexOf('=');
    if (separator < 0) throw new UsageError(`--fault expects kind=probability, got "${spec}"`);
    const kind = spec.slice(0, separator).trim();
    if (!isFaultKind(kind)) throw new UsageError(`--fault: unknown kind "${kind}"; kinds: ${FAULT_KINDS.join(', ')}`);
    if (probabilities[kind] !== undefined) throw new UsageError(`--fault ${kind} is given twice`);
    const probability = parseDecimal(`--fault ${kind}`, spec.slice(separator + 1));
    if (probability > 1) throw new UsageError(`--fault ${kind} must be a probability from 0 to 1, got "${spec.slice(separator + 1)}"`);
    probabilities[kind] = probability;
  }
  const sum = Object.values(probabilities).reduce((total, probability) => total + probability, 0);
  if (sum > 1 + PROBABILITY_SUM_TOLERANCE) {
    throw new UsageError(`--fault probabilities add up to ${Number(sum.toFixed(6))}; a call can take at most one fault, so the sum must be at most 1`);
  }
  return probabilities;
}

function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

/** A non-negative decimal number. */
function parseDecimal(flag: string, text: string): number {
  const value = decimalOf(text);
  if (Number.isNaN(value)) throw new UsageError(`${flag} must be a number like 0.5, got "${text}"`);
  return value;
}

function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => candidate === text.trim());
  if (choice === undefined) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${text}"`);
  return choice;
}

async function serveSimulator(options: SimulatorCommandOptions): Promise<void> {
  const dataset = await readDataset(options.datasetPath);
  const simulator = await listen(options, dataset);
  process.stdout.write(describeSimulator(simulator, dataset, options));
  const signal = await nextTerminationSignal();
  await simulator.close();
  process.stdout.write(`Simulator stopped (${signal}).\n`);
}

async function readDataset(path: string | undefined): Promise<Dataset> {
  try {
    return await loadDataset(path ?? DEFAULT_DATASET_URL);
  } catch (error) {
    throw new UsageError(`--dataset ${path ?? 'fixtures/dataset.json'}: ${(error as Error).message}`);
  }
}

async function listen(options: SimulatorCommandOptions, dataset: Dataset): Promise<Simulator> {
  try {
    return await startSimulator({
      dataset,
      host: options.host,
      port: options.port,
      faults: options.faults,
      ...(options.schemaPath !== undefined ? { schemaPath: options.schemaPath } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`--port ${options.port}: already in use on ${options.host}`);
    if (code === 'EACCES') throw new UsageError(`--port ${options.port}: not allowed for this user`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`--host ${options.host}: not an address of this machine`);
    throw error;
  }
}

/** What a person needs to start exploring; the fixture's credentials are fictitious, printing them is intended. */
export function describeSimulator(simulator: Pick<Simulator, 'graphqlUrl' | 'tokenUrl'>, dataset: Dataset, options: SimulatorCommandOptions): string {
  const staticTokens = (dataset.staticTokens ?? []).map(({ token, username }) => `${token} (as ${username})`);
  const users = dataset.users.map(({ username, projectIds }) => `${username} (projects ${projectIds.join(', ')})`);
  const lines = [
    `iAdvize API simulator, serving ${options.datasetPath ?? 'fixtures/dataset.json'}`,
    `  GraphQL       ${simulator.graphqlUrl}`,
    `  Token         ${simulator.tokenUrl} (password grant; passwords are in the dataset)`,
    `  Static token  ${staticTokens.length > 0 ? staticTokens.join(', ') : 'none'}`,
    `  Users         ${users.length > 0 ? users.join(', ') : 'none'}`,
    `  Faults        ${describeFaults(options.faults)}`,
    'Ctrl-C to stop.',
  ];
  return `${lines.join('\n')}\n`;
}

export function describeFaults(faults: FaultOptions): string {
  const parts: string[] = [];
  if (faults.latencyMs !== undefined || faults.latencyJitterMs !== undefined) {
    const jitter = faults.latencyJitterMs ? ` + 0..${faults.latencyJitterMs} ms` : '';
    parts.push(`latency ${faults.latencyMs ?? 0} ms${jitter}`);
  }
  if (faults.rateLimit !== undefined) {
    const { perSecond, burst, retryAfter } = faults.rateLimit;
    parts.push(`rate limit ${perSecond}/s, burst ${burst}, Retry-After ${retryAfter ?? 'seconds'}`);
  }
  for (const [kind, probability] of Object.entries(faults.probabilities ?? {})) parts.push(`${kind} ${Number((probability * 100).toFixed(4))}%`);
  if (faults.tokenLifetimeSeconds !== undefined) parts.push(`tokens live ${faults.tokenLifetimeSeconds} s`);
  if (faults.visitorReanonymize !== undefined) parts.push(`visitor anonymized twice answers ${faults.visitorReanonymize}`);
  if (parts.length === 0) return 'none';
  if (faults.seed !== undefined) parts.push(`seed ${faults.seed}`);
  return parts.join('; ');
}
