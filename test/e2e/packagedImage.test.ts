import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { REPO_ROOT } from '../helpers/runCli.js';

/**
 * What the Dockerfile's runtime stage holds, proven without a Docker engine: the package as
 * `npm pack` ships it (package.json "files"), the lock file beside it, production dependencies
 * only (`npm ci --omit=dev --ignore-scripts`, as in the image), and the CLI run from there.
 * The install reaches the npm registry or the local npm cache.
 */

const SLOW_MS = 180_000;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous spawn: the simulator serves from this process, so never block its event loop. */
function exec(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? SLOW_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** npm's environment without what `npm test` put there about this project (lifecycle, package, prefix). */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^npm_config_local_prefix$/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, root)));
    else out.push(relative(root, path));
  }
  return out.sort();
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('the Dockerfile', () => {
  test('runtime stage: production dependencies only, non-root, entrypoint on dist/cli.js', async () => {
    const text = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const stages = text.split(/^FROM\s/m).slice(1);
    expect(stages).toHaveLength(2);
    const runtime = stages[1]!;
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --ignore-scripts\b/m);
    expect(runtime).toMatch(/^USER node\s*$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist\s*$/m);
    const entrypoint = JSON.parse(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(runtime)?.[1] ?? 'null') as string[] | null;
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node', '/app/dist/cli.js']);
    const ignored = (await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8')).split('\n');
    for (const entry of ['node_modules', 'dist', '.git', 'test']) expect(ignored).toContain(entry);
  });
});

describe('the packaged CLI with production dependencies only', () => {
  let work: string;
  let pkg: string;
  const manifest: { version?: string; dependencies?: Record<string, string> } = {};

  beforeAll(async () => {
    Object.assign(manifest, JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')));
    work = await mkdtemp(join(tmpdir(), 'iadvize-erasure-pack-'));
    // dist/ is fresh: jest's global setup builds it
    const packed = await exec('npm', ['pack', '--pack-destination', work, '--json', '--ignore-scripts'], { cwd: REPO_ROOT, env: npmEnv() });
    expect(packed).toMatchObject({ code: 0 });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    expect((await exec('tar', ['-xzf', join(work, filename), '-C', work], { cwd: work, env: process.env })).code).toBe(0);
    pkg = join(work, 'package');
    await copyFile(join(REPO_ROOT, 'package-lock.json'), join(pkg, 'package-lock.json'));
    const installed = await exec('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: pkg, env: npmEnv() });
    if (installed.code !== 0) throw new Error(`npm ci failed (${installed.code}):\n${installed.stderr.slice(-2000)}`);
  }, SLOW_MS);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('ships dist/, graphql/ and fixtures/, and no sources or tests', async () => {
    const files = (await listFiles(pkg)).filter((file) => !file.startsWith('node_modules/'));
    for (const file of ['package.json', 'dist/cli.js', 'dist/demo.js', 'graphql/schema.graphql', 'fixtures/dataset.json', 'fixtures/demo-requests.csv']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^(src|test|scripts|node_modules)\//.test(file) || file.endsWith('.ts'))).toEqual([]);
  });

  test('installs every dependency and nothing the lock file marks dev-only', async () => {
    for (const name of Object.keys(manifest.dependencies ?? {})) expect(await exists(join(pkg, 'node_modules', name, 'package.json'))).toBe(true);
    const lock = JSON.parse(await readFile(join(pkg, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.dev === true)
      .map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(100);
    const present = [];
    for (const path of devOnly) if (await exists(join(pkg, path))) present.push(path);
    expect(present).toEqual([]);
    // the heavy ones by name (a devDependency that is also a runtime dependency's dependency, such as
    // @graphql-typed-document-node/core under graphql-request, is rightly installed)
    for (const name of ['typescript', 'jest', '@jest', '@swc', '@graphql-codegen']) expect(await exists(join(pkg, 'node_modules', name))).toBe(false);
  });

  test('--version prints the package version', async () => {
    const result = await exec(process.execPath, [join(pkg, 'dist', 'cli.js'), '--version'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  test('runs an erasure against the simulator, writing only where it is told to', async () => {
    const data = join(work, 'data');
    await mkdir(data);
    const input = join(data, 'requests.csv');
    await writeFile(input, 'request_id,email\nR1,alice.marchetti@example.com\n', 'utf8');
    const before = await listFiles(pkg);
    let simulator: Simulator | undefined;
    try {
      simulator = await startSimulator();
      const result = await exec(
        process.execPath,
        [
          join(pkg, 'dist', 'cli.js'),
          'run',
          input,
          '--ledger',
          join(data, 'erasure.ledger.jsonl'),
          '--report',
          join(data, 'erasure.report.csv'),
          '--endpoint',
          simulator.graphqlUrl,
        ],
        {
          cwd: data,
          env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', IADVIZE_TOKEN: 'simulator-static-token', IADVIZE_PROJECT_IDS: '6949,7012' },
          timeoutMs: 60_000,
        },
      );
      expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
    } finally {
      await simulator?.close();
    }
    const report = await readFile(join(data, 'erasure.report.csv'), 'utf8');
    expect(report.split('\r\n').find((line) => line.startsWith('R1,'))).toMatch(/^R1,completed,/);
    // the install directory is untouched: under a read-only root filesystem the run still works
    expect(await listFiles(pkg)).toEqual(before);
  });

  test('doctor finds the shipped graphql/operations beside dist/ and validates them against the simulator', async () => {
    const simulator = await startSimulator();
    try {
      const result = await exec(process.execPath, [join(pkg, 'dist', 'cli.js'), 'doctor', '--endpoint', simulator.graphqlUrl], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', IADVIZE_TOKEN: 'simulator-static-token', IADVIZE_PROJECT_IDS: '6949' },
        timeoutMs: 60_000,
      });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^ok {4}schema: the \d+ files of graphql\/operations are valid against the live schema$/m);
    } finally {
      await simulator.close();
    }
  });
});
