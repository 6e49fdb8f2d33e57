import { availableParallelism, cpus, totalmem } from 'node:os';
import { measureThroughput } from './p1Throughput.mjs';
import { measureRateLimit } from './p2RateLimit.mjs';
import { measureMemory } from './p3Memory.mjs';
import { measureResume } from './p4Resume.mjs';
import { measureOutsidePressure } from './p5OutsidePressure.mjs';

/**
 * `npm run bench`: the performance figures of issue 6, each beside its baseline, against the
 * in-process simulator. Prints a table and the machine; exits 1 if any target is missed.
 * `--only P1,P3` runs some figures only (CPU comes with P1).
 */
const FIGURES = {
  P1: measureThroughput,
  P2: measureRateLimit,
  P3: measureMemory,
  P4: measureResume,
  P5: measureOutsidePressure,
};

function selected(argv) {
  const at = argv.indexOf('--only');
  const only = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (only === undefined) return Object.keys(FIGURES);
  const names = only.split(',').map((name) => name.trim().toUpperCase());
  const unknown = names.filter((name) => !(name in FIGURES));
  if (unknown.length > 0) throw new Error(`--only: unknown figure ${unknown.join(', ')}; known: ${Object.keys(FIGURES).join(', ')}`);
  return names;
}

function formatNumber(value) {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  const magnitude = Math.abs(value);
  return magnitude >= 100 ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : magnitude >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function printTable(rows) {
  const header = ['figure', 'measured', 'baseline', 'ratio', 'target', 'result'];
  const cells = rows.map((row) => [
    row.figure,
    formatNumber(row.measured),
    formatNumber(row.baseline),
    formatNumber(row.ratio),
    row.target,
    row.pass === undefined ? 'info' : row.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const line = (values) => values.map((value, column) => (column === 0 ? value.padEnd(widths[column]) : value.padStart(widths[column]))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const values of cells) console.log(line(values));
  console.log('');
  for (const row of rows) for (const note of row.notes ?? []) console.log(`${row.id}: ${note}`);
  console.log('');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`);
}

const rows = [];
for (const name of selected(process.argv.slice(2))) {
  const startedAt = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await FIGURES[name]()));
  process.stderr.write(`bench: ${name} took ${((performance.now() - startedAt) / 1000).toFixed(0)} s\n`);
}
printTable(rows);
process.exitCode = rows.some((row) => row.pass === false) ? 1 : 0;
