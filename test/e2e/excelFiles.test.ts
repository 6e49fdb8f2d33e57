import { describe, expect, test } from '@jest/globals';
import { mkdir, readFile, readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_XLSX_FILE_BYTES } from '../../src/requests/xlsx/xlsxLimits.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { useSimulatorWorkspace } from '../helpers/simulatorWorkspace.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';
import { editWorkbook, writeWorkbook } from '../helpers/xlsxWorkbook.js';

/**
 * .xlsx request files (issue 16, item 6), written by ExcelJS and read by the built CLI against the
 * simulator: run, then verify reading the same sheet again; and the workbooks refused before any call.
 */

const space = useSimulatorWorkspace('e2e-xlsx');

const CHLOE = { email: 'chloe.roussel@example.org', phone: 33639980103 };
const PERSONAL = ['chloe.roussel@example.org', 'chloé', 'roussel', '639980103', 'not-an-address'];
const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012', LOG_LEVEL: 'debug' };

interface Outcome extends CliResult {
  ledger: Record<string, unknown>[];
  written: string;
}

async function run(file: string, args: string[] = []): Promise<Outcome> {
  const ledgerPath = join(space.workDir, 'ledger.jsonl');
  const reportPath = join(space.workDir, 'report.csv');
  const result = await runCli(['run', file, '--ledger', ledgerPath, '--report', reportPath, '--endpoint', space.simulator.graphqlUrl, ...args], ENV);
  const ledgerText = await readFile(ledgerPath, 'utf8').catch(() => '');
  const reportText = await readFile(reportPath, 'utf8').catch(() => '');
  const ledger = ledgerText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...result, ledger, written: [result.stdout, result.stderr, ledgerText, reportText].join('\n') };
}

function expectNoPersonalData(text: string): void {
  const written = text.toLowerCase();
  for (const secret of PERSONAL) expect({ secret, found: written.includes(secret) }).toEqual({ secret, found: false });
}

/** A notes tab first, the requests on the second: a good row, an empty row, a bad row. */
async function requestsWorkbook(name: string): Promise<string> {
  return writeWorkbook(join(space.workDir, name), (workbook) => {
    workbook.addWorksheet('Notes').addRow(['Requests of November, see the next tab']);
    const sheet = workbook.addWorksheet('Demandes');
    sheet.addRow(['Numéro de ticket', 'Adresse e-mail', 'Téléphone', 'Prénom', 'Nom', 'Date de réception']);
    sheet.addRow(['X-1', CHLOE.email, CHLOE.phone, 'Chloé', 'Roussel', new Date(Date.UTC(2026, 10, 2, 9, 15))]);
    sheet.addRow([]);
    sheet.addRow(['X-2', 'not-an-address', null, null, null, null]);
    sheet.getCell('F2').numFmt = 'dd/mm/yyyy hh:mm';
  });
}

describe('an .xlsx request file', () => {
  test('run --sheet erases from the sheet named, each request at its sheet row; verify reads the same sheet again', async () => {
    const file = await requestsWorkbook('requests.xlsx');

    const outcome = await run(file, ['--sheet', 'Demandes', '--default-country', 'FR']);

    expect(outcome.code).toBe(2);
    const runEvent = outcome.ledger.find((event) => event.type === 'run');
    expect(runEvent?.options).toEqual(expect.objectContaining({ sheet: 'Demandes', defaultCountry: 'FR' }));
    const requests = outcome.ledger.filter((event) => event.type === 'request');
    expect(requests.map((event) => [event.requestId, event.status, (event.source as { line: number }).line])).toEqual([
      ['X-2', 'rejected', 4],
      ['X-1', 'completed', 2],
    ]);
    expect(requests.find((event) => event.requestId === 'X-1')).toEqual(expect.objectContaining({ receivedAt: '2026-11-02T09:15:00.000Z' }));
    expect(requests.find((event) => event.requestId === 'X-2')?.reason).toContain('email is not a valid e-mail address');
    const visitor = space.dataset.visitors.find((candidate) => candidate.email === CHLOE.email)!;
    expect(space.simulator.store.visitors.get(visitor.id)?.anonymized).toBe(true);
    // the phone stored as a number is named by row and column, never by value
    expect(outcome.stderr).toContain('phone in column C of sheet \\"Demandes\\" is stored as a number');
    expectNoPersonalData(outcome.written);

    // read with the first tab, verify would find no header: it passes the sheet the run recorded
    const verifyReport = join(space.workDir, 'verify.csv');
    const verified = await runCli(
      ['verify', '--ledger', join(space.workDir, 'ledger.jsonl'), '--report', verifyReport, '--endpoint', space.simulator.graphqlUrl],
      {
        IADVIZE_TOKEN: STATIC_TOKEN,
      },
    );
    expect(verified.stderr).not.toContain('names no known column');
    expectNoPersonalData(verified.stdout + verified.stderr + (await readFile(verifyReport, 'utf8')));
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Verified +1 clean/);
  });

  test('plan --sheet records the sheet, apply reads it from the plan and records it for verify', async () => {
    const file = await requestsWorkbook('planned.xlsx');
    const planPath = join(space.workDir, 'plan.json');
    const ledgerPath = join(space.workDir, 'ledger.jsonl');
    const common = ['--endpoint', space.simulator.graphqlUrl];

    const planned = await runCli(['plan', file, '--out', planPath, '--sheet', 'Demandes', '--default-country', 'FR', ...common], ENV);
    const applied = await runCli(['apply', planPath, '--ledger', ledgerPath, '--report', join(space.workDir, 'report.csv'), ...common], ENV);
    const verified = await runCli(['verify', '--ledger', ledgerPath, '--report', join(space.workDir, 'verify.csv'), ...common], {
      IADVIZE_TOKEN: STATIC_TOKEN,
    });

    expect(planned.code).toBe(2);
    expect((JSON.parse(await readFile(planPath, 'utf8')) as { options: unknown }).options).toEqual(expect.objectContaining({ sheet: 'Demandes' }));
    // the rejected row still needs a person
    expect(applied.code).toBe(2);
    const runEvent = (await readFile(ledgerPath, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((event) => event.type === 'run');
    expect(runEvent?.options).toEqual(expect.objectContaining({ sheet: 'Demandes' }));
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Verified +1 clean/);
  });

  test('watch --once --sheet: a workbook dropped into inbox/ is read from that sheet and goes to done/', async () => {
    await mkdir(join(space.workDir, 'drop', 'inbox'), { recursive: true });
    await requestsWorkbook(join('drop', 'inbox', 'requests.xlsx'));

    const result = await runCli(
      ['watch', join(space.workDir, 'drop'), '--once', '--sheet', 'Demandes', '--default-country', 'FR', '--endpoint', space.simulator.graphqlUrl],
      ENV,
    );

    // the rejected row needs a person; the file is done all the same
    expect(result.code).toBe(2);
    const done = await readdir(join(space.workDir, 'drop', 'done'));
    const summaryName = done.find((name) => name.endsWith('.summary.json'))!;
    const summary = JSON.parse(await readFile(join(space.workDir, 'drop', 'done', summaryName), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ file: 'requests.xlsx', outcome: 'done', requests: { completed: 1, rejected: 1 } });
    const visitor = space.dataset.visitors.find((candidate) => candidate.email === CHLOE.email)!;
    expect(space.simulator.store.visitors.get(visitor.id)?.anonymized).toBe(true);
    expectNoPersonalData(result.stdout + result.stderr + JSON.stringify(summary));
  });

  test('without --sheet the first tab is read: a tab without a header is refused, naming the file, before any call', async () => {
    const file = await requestsWorkbook('first-tab.xlsx');

    const outcome = await run(file);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`request file ${file}: the first row with a value (row 1) names no known column`);
    expect(space.simulator.store.visitors.get(space.dataset.visitors.find((candidate) => candidate.email === CHLOE.email)!.id)?.anonymized).not.toBe(true);
  });

  test('an unknown --sheet is refused, naming the sheets the workbook has', async () => {
    const file = await requestsWorkbook('unknown-sheet.xlsx');

    const outcome = await run(file, ['--sheet', 'Archive']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`request file ${file}: has no sheet named "Archive" (--sheet); its sheets: "Notes", "Demandes"`);
  });

  test.each([
    ['macro-enabled', 'macros.xlsx', 'is a macro-enabled workbook (it holds a VBA project): it is refused, as macros are code'],
    ['oversized', 'huge.xlsx', 'is larger than 50 MiB, the most an .xlsx request file may be'],
  ])('%s: the workbook is refused with exit 1 before any mutation: only the preflight (one check per project)', async (kind, name, message) => {
    const file = await requestsWorkbook(name);
    if (kind === 'macro-enabled') await editWorkbook(file, { 'xl/vbaProject.bin': Buffer.from('not really VBA') });
    else await truncate(file, MAX_XLSX_FILE_BYTES + 1);

    const outcome = await run(file, ['--sheet', 'Demandes']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`request file ${file}: ${message}`);
    expect(space.simulator.mutationCalls).toEqual([]);
    expect(space.simulator.stats.graphqlRequests).toBe(2);
  });
});
