import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { utf16, windows1252 } from '../helpers/encodedText.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Request files as people save them (Windows-1252 from Excel, UTF-16, day-first dates, their own
 * column names), read by the built CLI against the simulator, through a proxy that keeps what was sent.
 */

let dataset: Dataset;
let simulator: Simulator;
let proxy: RecordingProxy;
let workDir: string;

beforeEach(async () => {
  dataset = await loadDataset();
  simulator = await startSimulator({ dataset });
  proxy = await startRecordingProxy(simulator.graphqlUrl);
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-e2e-files-'));
});

afterEach(async () => {
  await proxy.close();
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

// Chloé Roussel: her e-mail finds her whatever the rules for names; her accented name is sent as a search too.
const CHLOE = { email: 'chloe.roussel@example.org', name: ['Chloé', 'Roussel'], phone: '+33639980103' };
const PERSONAL = [
  'chloe.roussel@example.org',
  'chloé',
  'chloe',
  'roussel',
  'alice.marchetti@example.com',
  'bruno.keller@example.net',
  'zoé',
  'lefranc',
  '0639980103',
];

interface Outcome extends CliResult {
  ledger: Record<string, unknown>[];
  ledgerText: string;
  report: Record<string, string>[];
  reportText: string;
  status: Record<string, string>;
}

async function input(name: string, bytes: Buffer): Promise<string> {
  const path = join(workDir, name);
  await writeFile(path, bytes);
  return path;
}

async function run(files: string[], args: string[] = []): Promise<Outcome> {
  const ledgerPath = join(workDir, 'ledger.jsonl');
  const reportPath = join(workDir, 'report.csv');
  const result = await runCli(['run', ...files, '--ledger', ledgerPath, '--report', reportPath, '--endpoint', proxy.graphqlUrl, ...args], {
    IADVIZE_TOKEN: STATIC_TOKEN,
    IADVIZE_PROJECT_IDS: '6949,7012',
    LOG_LEVEL: 'debug',
  });
  const ledgerText = await readFile(ledgerPath, 'utf8').catch(() => '');
  const ledger = ledgerText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const status: Record<string, string> = {};
  for (const event of ledger) if (event.type === 'request') status[String(event.requestId)] = String(event.status);
  const reportText = await readFile(reportPath, 'utf8').catch(() => '');
  const [header, ...lines] = reportText
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '');
  const columns = header?.split(',') ?? [];
  const report = lines.map((line) => Object.fromEntries(line.split(',').map((cell, index) => [columns[index], cell])));
  return { ...result, ledger, ledgerText, report, reportText, status };
}

/** Nothing the run printed or wrote holds a value of the file. */
function expectNoPersonalData(outcome: Outcome, extra: string[] = []): void {
  const written = [outcome.stdout, outcome.stderr, outcome.ledgerText, outcome.reportText].join('\n').toLowerCase();
  for (const secret of [...PERSONAL, ...extra]) expect({ secret, found: written.includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
}

/** The pino lines on stderr that say `message`. */
function logLines(stderr: string, message: RegExp): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => message.test(String(line.msg)));
}

const searched = () => proxy.variables.join('\n');
const chloeIsErased = () => simulator.store.visitors.get(dataset.visitors.find((visitor) => visitor.email === CHLOE.email)!.id)?.anonymized === true;

describe('encodings', () => {
  const EXCEL_CSV = `Request ID;Prénom;Nom;Adresse e-mail\r\nC1;${CHLOE.name.join(';')};${CHLOE.email}\r\n`;

  test('a ";" CSV saved by Excel on Windows (Windows-1252): read with a warning naming the file, the accented name searched as written', async () => {
    const file = await input('excel.csv', windows1252(EXCEL_CSV));

    const outcome = await run([file]);

    expect(outcome.code).toBe(0);
    expect(outcome.status).toEqual({ C1: 'completed' });
    expect(chloeIsErased()).toBe(true);
    expect(logLines(outcome.stderr, /read as Windows-1252/)).toEqual([expect.objectContaining({ level: 40, file, line: 1 })]);
    expect(searched()).toContain('"Chloé Roussel"');
    expect(searched()).not.toMatch(/\uFFFD|Ã/);
    expectNoPersonalData(outcome);

    // verify detects the encoding again: it reads the file as the run did
    const verifyReport = join(workDir, 'verify.csv');
    const verified = await runCli(['verify', '--ledger', join(workDir, 'ledger.jsonl'), '--report', verifyReport, '--endpoint', proxy.graphqlUrl], {
      IADVIZE_TOKEN: STATIC_TOKEN,
    });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ {2}Verified +1 clean$/m);
  });

  test.each(['le', 'be'] as const)('UTF-16%s with a byte order mark ("Unicode text") is read, without a warning', async (order) => {
    const file = await input(`unicode-${order}.csv`, utf16(`\uFEFF${EXCEL_CSV.replaceAll(';', '\t')}`, order));

    const outcome = await run([file]);

    expect(outcome.code).toBe(0);
    expect(outcome.status).toEqual({ C1: 'completed' });
    expect(searched()).toContain('"Chloé Roussel"');
    expect(logLines(outcome.stderr, /Windows-1252/)).toEqual([]);
    expectNoPersonalData(outcome);
  });

  test('a file that is neither UTF-8 nor Windows-1252 (0x81) is refused, naming the file and the line, before any call but the preflight', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`request_id;email;nom\r\nA;${CHLOE.email};x\r\nB;a@example.org;Chlo`),
      Buffer.from([0xe9, 0x81]),
      Buffer.from('\r\n'),
    ]);
    const file = await input('broken.csv', bytes);

    const outcome = await run([file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `request file ${file}: line 3 is not valid UTF-8 and the file is not Windows-1252 either; save it as "CSV UTF-8" or pass --encoding`,
    );
    // only the preflight's check of each project (src/run/preflight.ts): the file is read after it
    expect(simulator.stats.graphqlRequests).toBe(2);
    expect(simulator.mutationCalls).toEqual([]);
    expect(outcome.status).toEqual({});
    expectNoPersonalData(outcome);
  });

  test('--encoding windows-1252 reads the file as that without detecting, and the run event records it for verify', async () => {
    const file = await input('forced.csv', windows1252(EXCEL_CSV));

    const outcome = await run([file], ['--encoding', 'cp1252']);

    expect(outcome.code).toBe(0);
    expect(outcome.status).toEqual({ C1: 'completed' });
    expect(searched()).toContain('"Chloé Roussel"');
    expect(logLines(outcome.stderr, /Windows-1252/)).toEqual([]);
    expect(outcome.ledger.find((event) => event.type === 'run')?.options).toEqual(expect.objectContaining({ encoding: 'windows-1252', dateOrder: 'dmy' }));
    expectNoPersonalData(outcome);
  });

  test('--encoding utf-8 refuses the same file; an unknown --encoding is a usage error', async () => {
    const file = await input('strict.csv', windows1252(EXCEL_CSV));

    const strict = await run([file], ['--encoding', 'utf-8']);
    const unknown = await run([file], ['--encoding', 'ebcdic']);

    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`request file ${file}: line 1 is not valid UTF-8`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--encoding must be one of utf-8, windows-1252, utf-16le, utf-16be');
    // the strict run's preflight only; the usage error made no call
    expect(simulator.stats.graphqlRequests).toBe(2);
    expect(simulator.mutationCalls).toEqual([]);
  });
});

describe('received_at as spreadsheets write it', () => {
  test('day-first dates are read; one that cannot be read lets the request proceed, is named by file and line, and its deadline is unknown', async () => {
    const csv = [
      'request_id;email;date de réception',
      'A;alice.marchetti@example.com;15/11/2026',
      'B;bruno.keller@example.net;15.11.2026 14:30',
      `C;${CHLOE.email};31/02/2026`,
    ].join('\r\n');
    const file = await input('dates.csv', Buffer.from(`${csv}\r\n`, 'utf8'));

    const outcome = await run([file]);

    expect(outcome.code).toBe(0);
    expect(outcome.status).toEqual({ A: 'completed', B: 'completed', C: 'completed' });
    expect(outcome.report.map((row) => [row.request_id, row.received_at, row.deadline])).toEqual([
      ['A', '2026-11-15T00:00:00.000Z', '2026-12-15T00:00:00.000Z'],
      ['B', '2026-11-15T14:30:00.000Z', '2026-12-15T14:30:00.000Z'],
      ['C', '', 'unknown'],
    ]);
    expect(logLines(outcome.stderr, /^received_at is not a date/)).toEqual([expect.objectContaining({ level: 40, file, line: 4, requestId: 'C' })]);
    expect(outcome.ledger.find((event) => event.type === 'request' && event.requestId === 'C')).toEqual(
      expect.objectContaining({ receivedAtUnreadable: true }),
    );
    expectNoPersonalData(outcome, ['31/02/2026']);
  });

  test('--date-order mdy reads the month first', async () => {
    const file = await input('us.csv', Buffer.from(`request_id,email,received\r\nA,${CHLOE.email},03/04/2026\r\n`, 'utf8'));

    const outcome = await run([file], ['--date-order', 'mdy']);

    expect(outcome.report.map((row) => row.received_at)).toEqual(['2026-03-04T00:00:00.000Z']);
    expect(outcome.ledger.find((event) => event.type === 'run')?.options).toEqual(expect.objectContaining({ encoding: null, dateOrder: 'mdy' }));
  });
});

describe('columns', () => {
  test('unknown columns are logged by name, except a name that may be personal data', async () => {
    const csv = await input('extra.csv', Buffer.from(`request_id;E-mail address;Notes;Agent\r\nA;${CHLOE.email};x;y\r\n`, 'utf8'));
    const json = await input(
      'extra.json',
      Buffer.from(JSON.stringify([{ email: 'alice.marchetti@example.com', 'bruno.keller@example.net': 'x', commentaire: 'y' }]), 'utf8'),
    );

    const outcome = await run([csv, json]);

    expect(outcome.status).toEqual({ A: 'completed', 'extra.json:L1': 'completed' });
    expect(logLines(outcome.stderr, /^unknown columns ignored$/).map((line) => [line.file, line.columns])).toEqual([
      [csv, ['Notes', 'Agent']],
      [json, ['<column 2>', 'commentaire']],
    ]);
    expectNoPersonalData(outcome);
  });
});
