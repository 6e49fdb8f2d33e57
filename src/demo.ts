import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPLY_EXAMPLE, PLAN_EXAMPLE } from './commands/commandHelp.js';
import { RUN_EXIT_CODES } from './commands/exitCodeMeanings.js';
import { exitCodeOf } from './commands/exitCodes.js';
import { exampleLines, wrap } from './commands/helpText.js';
import { demoTable } from './demo/demoTable.js';
import { readLedger } from './ledger/readLedger.js';
import { reportRows } from './ledger/writeReport.js';
import { createLogger } from './logging/createLogger.js';
import { runErasure } from './run/runErasure.js';
import { createApiClient } from './run/apiConnection.js';
import { startSimulator } from './simulator/startSimulator.js';
import { packageVersion } from './version.js';

/**
 * `npm start`: the whole pipeline on the embedded simulator and its fictitious account, with a
 * request file that shows every outcome. Nothing leaves this machine, and nothing stays on it:
 * the ledger and report are written in a temporary folder (under TMPDIR) removed at the end.
 */
const REQUESTS = fileURLToPath(new URL('../fixtures/demo-requests.csv', import.meta.url));
const PROGRAM_NAME = 'iadvize-erasure';

const print = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);

const simulator = await startSimulator();
const output = await mkdtemp(join(tmpdir(), 'iadvize-erasure-demo-'));
try {
  const ledgerPath = join(output, 'erasure.ledger.jsonl');
  const now = new Date();
  const threeYearsAgo = new Date(now);
  threeYearsAgo.setUTCFullYear(now.getUTCFullYear() - 3);

  print([
    `Simulated iAdvize API at ${simulator.graphqlUrl}`,
    '(a fictitious account, projects 6949 and 7012)',
    'Request file: fixtures/demo-requests.csv (French Excel CSV: BOM, ";", CRLF)',
    '',
  ]);
  const result = await runErasure(
    {
      source: { kind: 'files', files: [REQUESTS] },
      ledgerPath,
      reportPath: join(output, 'erasure.report.csv'),
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

  print(demoTable(reportRows(await readLedger(ledgerPath), now.getTime())));
  const meaning = RUN_EXIT_CODES.get(result.exitCode) ?? 'see iadvize-erasure --help';
  print([
    '',
    ...wrap(`${simulator.mutationCalls.length} anonymization calls sent; the CLI would exit ${result.exitCode}: ${meaning}.`, ''),
    'The ledger and report were written in this temporary folder, removed now:',
    `  ${output}`,
    '',
    'Next, against the real API (set IADVIZE_TOKEN and IADVIZE_PROJECT_IDS first):',
    ...[PLAN_EXAMPLE, APPLY_EXAMPLE].flatMap((example) => exampleLines(PROGRAM_NAME, example)),
  ]);
} finally {
  await rm(output, { recursive: true, force: true });
  await simulator.close();
}
