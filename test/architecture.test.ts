import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * The layers of src/, bottom up (issue 14): a module may import its own layer and those below,
 * never one above. Folders are named by their path under src/; a file at the root by its name.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['files', 'lock', 'logging', 'outcome', 'generated', 'uuidPattern.ts', 'version.ts'],
  ['ledger', 'api', 'simulator'],
  ['requests', 'resolve', 'anonymize'],
  ['plan', 'verify', 'watch', 'report'],
  ['run'],
  ['commands', 'decisions', 'review', 'doctor', 'cli.ts', 'cliErrors.ts', 'demo.ts', 'demo'],
];

/** Only these know about the command line: UsageError, argv, exit codes. demo.ts is `npm start`'s entry point and says what the CLI would exit with. */
const COMMAND_LINE = ['commands', 'cli.ts', 'cliErrors.ts', 'demo.ts', 'demo'];

interface SourceFile {
  /** Relative to src/, with forward slashes. */
  path: string;
  text: string;
}

function unitOf(path: string): string {
  return path.split('/')[0]!;
}

function layerOf(path: string): number {
  const unit = unitOf(path);
  const layer = LAYERS.findIndex((units) => units.includes(unit));
  if (layer < 0) throw new Error(`${path}: its folder is in no layer; add it to LAYERS`);
  return layer;
}

/** The relative imports of a file (type-only ones and re-exports included), resolved to paths under src/. */
function importsOf(file: SourceFile): string[] {
  const specifiers = [...file.text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => posix.normalize(posix.join(posix.dirname(file.path), specifier)).replace(/\.js$/, '.ts'));
}

function layerViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    for (const target of importsOf(file)) {
      if (layerOf(target) > layerOf(file.path)) violations.push(`${file.path} imports ${target}, a layer above it`);
    }
  }
  return violations;
}

function commandLineLeaks(files: readonly SourceFile[]): string[] {
  const leaks: string[] = [];
  for (const file of files) {
    if (COMMAND_LINE.includes(unitOf(file.path))) continue;
    if (/\b(UsageError|ExitError)\b/.test(file.text)) leaks.push(`${file.path} names UsageError or ExitError`);
    if (/\bprocess\.(argv|exit|exitCode)\b/.test(file.text)) leaks.push(`${file.path} reads argv or sets the exit`);
    for (const target of importsOf(file)) {
      if (target === 'cliErrors.ts' || target.endsWith('/exitCodes.ts')) leaks.push(`${file.path} imports ${target}`);
    }
  }
  return leaks;
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ path: relative(SRC, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }];
  });
}

describe('the layering of src/', () => {
  const files = sourceFiles(SRC);

  test('the scan sees the sources and their imports', () => {
    expect(files.some((file) => file.path === 'run/runErasure.ts')).toBe(true);
    const runErasure = files.find((file) => file.path === 'run/runErasure.ts')!;
    expect(importsOf(runErasure)).toContain('lock/runLock.ts');
  });

  test('no module imports from a layer above it', () => {
    expect(layerViolations(files)).toEqual([]);
  });

  test('below the command line, nothing knows UsageError, argv or exit codes', () => {
    expect(commandLineLeaks(files)).toEqual([]);
  });

  test('an upward import, a type-only one included, and a UsageError below the CLI are caught', () => {
    const upward = [
      { path: 'plan/planRecorder.ts', text: "import type { RunObserver } from '../run/runErasure.js';" },
      { path: 'ledger/readLedger.ts', text: "export { x } from '../requests/personRequest.js';" },
    ];
    expect(layerViolations(upward)).toEqual([
      'plan/planRecorder.ts imports run/runErasure.ts, a layer above it',
      'ledger/readLedger.ts imports requests/personRequest.ts, a layer above it',
    ]);
    const leaky = [{ path: 'verify/verifyLedger.ts', text: "import { EXIT } from '../commands/exitCodes.js';\nthrow new UsageError('no ledger');" }];
    expect(commandLineLeaks(leaky)).toEqual(['verify/verifyLedger.ts names UsageError or ExitError', 'verify/verifyLedger.ts imports commands/exitCodes.ts']);
  });
});
