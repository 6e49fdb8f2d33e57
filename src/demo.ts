import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodeOf } from './commands/exitCodes.js';
import { readLedger } from './ledger/readLedger.js';
import { reportRows } from './ledger/writeReport.js';
import { createLogger } from './logging/createLogger.js';
import { runErasure } from './run/runErasure.js';
import { createApiClient } from './run/apiConnection.js';
import { startSimulator } from './simulator/startSimulator.js';
import { packageVersion } from './version.js';

/**
 * `npm start`: the whole pipeline on the embedded simulator and its fictitious account, with a
 * request file that shows every outcome. Nothing leaves this machine.
 */
const REQUESTS = fileURLToPath(new URL('../fixtures/demo-requests.csv', import.meta.url));
const EXIT_MEANINGS: Record<number, string> = {
  0: 'nothing left to do',
  2: 'finished; some requests need a person (rejected or needs_review)',
  3: 'finished with failed targets; a re-run retries them',
};

const simulator = await startSimulator();
try {
  const output = await mkdtemp(join(tmpdir(), 'iadvize-erasure-demo-'));
  const ledgerPath = join(output, 'erasure.ledger.jsonl');
  const reportPath = join(output, 'erasure.report.csv');
  const now = new Date();
  const threeYearsAgo = new Date(now);
  threeYearsAgo.setUTCFullYear(now.getUTCFullYear() - 3);

  process.stdout.write(`Simulated iAdvize API at ${simulator.graphqlUrl} (fictitious account, projects 6949 and 7012)\n`);
  process.stdout.write(`Request file: fixtures/demo-requests.csv (French Excel CSV: BOM, ';', CRLF)\n\n`);
  const result = await runErasure(
    {
      source: { kind: 'files', files: [REQUESTS] },
      ledgerPath,
      reportPath,
      concurrency: 4,
      projectIds: [6949, 7012],
      maxVisitorsPerRequest: 5,
      interval: { from: threeYearsAgo.toISOString(), to: now.toISOString() },
      dryRun: false,
    },
    {
      client: createApiClient({ endpoint: simulator.graphqlUrl, auth: { token: 'simulator-static-token' } }, 4),
      logger: createLogger(process.env.LOG_LEVEL ?? 'silent'),
      version: packageVersion(),
      exitCodeOf,
    },
  );

  const rows = reportRows(await readLedger(ledgerPath));
  printTable(
    rows.map((row) => ({
      request: row.request_id,
      status: row.status,
      conv: String(row.conversations),
      vis: String(row.visitors),
      anonymized: String(row.anonymized),
      already: String(row.already_anonymized),
      failed: String(row.failed),
      held: String(row.held),
      reason: row.reason,
    })),
  );
  const mutations = simulator.mutationCalls.length;
  process.stdout.write(`\n${mutations} anonymization calls sent; the CLI would exit ${result.exitCode} (${EXIT_MEANINGS[result.exitCode] ?? 'see README'}).\n`);
  process.stdout.write(`Ledger: ${ledgerPath}\nReport: ${reportPath}\n`);
} finally {
  await simulator.close();
}

function printTable(rows: Record<string, string>[]): void {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => row[column] ?? ''))}\n`);
}
