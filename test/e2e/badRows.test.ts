import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { useSimulatorWorkspace } from '../helpers/simulatorWorkspace.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Bad rows in a request file (issue 13, items 4 and 5), read by the built CLI against the simulator:
 * each rejects its own row only, the good rows after it are erased, and nothing read from a bad row
 * reaches stdout, stderr, the ledger or the report.
 */

const space = useSimulatorWorkspace('e2e-bad-rows');

interface Outcome extends CliResult {
  written: string;
  /** status and reason of each request, by request_id, from the ledger */
  report: Record<string, { status: string; reason: string }>;
  /** the line each request starts on, by request_id */
  lines: Record<string, number>;
}

async function run(name: string, content: string): Promise<Outcome> {
  const file = join(space.workDir, name);
  await writeFile(file, content, 'utf8');
  const ledgerPath = join(space.workDir, 'ledger.jsonl');
  const reportPath = join(space.workDir, 'report.csv');
  const result = await runCli(['run', file, '--ledger', ledgerPath, '--report', reportPath, '--endpoint', space.simulator.graphqlUrl], {
    IADVIZE_TOKEN: STATIC_TOKEN,
    IADVIZE_PROJECT_IDS: '6949,7012',
    LOG_LEVEL: 'debug',
  });
  const ledgerText = await readFile(ledgerPath, 'utf8');
  const reportText = await readFile(reportPath, 'utf8');
  const report: Outcome['report'] = {};
  const lines: Outcome['lines'] = {};
  for (const line of ledgerText.split('\n').filter((text) => text.trim() !== '')) {
    const event = JSON.parse(line) as { type?: string; requestId?: string; status?: string; reason?: string; source?: { line: number } };
    if (event.type !== 'request') continue;
    report[String(event.requestId)] = { status: String(event.status), reason: String(event.reason ?? '') };
    if (event.source !== undefined) lines[String(event.requestId)] = event.source.line;
  }
  return { ...result, written: [result.stdout, result.stderr, ledgerText, reportText].join('\n'), report, lines };
}

function isErased(email: string): boolean {
  const visitors = space.dataset.visitors.filter((visitor) => visitor.email === email);
  expect(visitors.length).toBeGreaterThan(0);
  return visitors.every((visitor) => space.simulator.store.visitors.get(visitor.id)?.anonymized === true);
}

/** None of the bad rows' values appears in anything the run printed or wrote. */
function expectNoneWritten(outcome: Outcome, values: string[]): void {
  const written = outcome.written.toLowerCase();
  for (const value of values) expect({ value, found: written.includes(value.toLowerCase()) }).toEqual({ value, found: false });
}

describe('one bad row rejects one row; nothing read from it is echoed', () => {
  test('a "," row in a ";" file: rejected under its file and line, its e-mail nowhere, the rows after it erased', async () => {
    const outcome = await run('wrong-delimiter.csv', 'request_id;email;search\nM-2,hugo.petit@example.com,\nM-3;jules.garnier@example.com;\n');

    expect(outcome.code).toBe(2);
    expect(outcome.report['wrong-delimiter.csv:L2']?.status).toBe('rejected');
    expect(outcome.report['wrong-delimiter.csv:L2']?.reason).toContain('the row has 1 field where the header line has 3');
    expect(outcome.report['wrong-delimiter.csv:L2']?.reason).toContain('request_id holds an @');
    expect(outcome.report['M-3']?.status).toBe('completed');
    expect(isErased('jules.garnier@example.com')).toBe(true);
    expect(isErased('hugo.petit@example.com')).toBe(false);
    expectNoneWritten(outcome, ['hugo', 'M-2,']);
  });

  test('a 70 KiB unquoted field mid-file rejects its row; the rows after it are read, at their lines, and erased', async () => {
    const long = `secret${'z'.repeat(70 * 1024)}`;
    const outcome = await run(
      'long-field.csv',
      `request_id;email;notes\nL-1;ines.moreau@example.com;\nL-2;lea.fontaine@example.com;${long}\nL-3;mael.chevalier@example.com;"a note\non two lines"\nL-4;nora.benali@example.com;\n`,
    );

    expect(outcome.code).toBe(2);
    expect(outcome.report['L-2']).toEqual({ status: 'rejected', reason: expect.stringContaining('the row is longer than 64 KiB') });
    expect([outcome.report['L-1']?.status, outcome.report['L-3']?.status, outcome.report['L-4']?.status]).toEqual(['completed', 'completed', 'completed']);
    expect(['ines.moreau@example.com', 'mael.chevalier@example.com', 'nora.benali@example.com'].map(isErased)).toEqual([true, true, true]);
    expect(isErased('lea.fontaine@example.com')).toBe(false);
    expect(outcome.lines).toEqual({ 'L-1': 2, 'L-2': 3, 'L-3': 4, 'L-4': 6 });
    expectNoneWritten(outcome, ['lea.fontaine', 'secretzzz', 'a note']);
  });

  test('an unclosed quote: the rows before it are erased, and it and every later line make one rejection naming the range', async () => {
    const outcome = await run(
      'unclosed.csv',
      'email;search\noscar.lambert@example.com;\npaula.ricci@example.com;"Paula\ncamille.perrin@example.fr;\n\nbruno.keller@example.net;Bruno\n',
    );

    expect(outcome.code).toBe(2);
    expect(Object.keys(outcome.report).sort()).toEqual(['unclosed.csv:L2', 'unclosed.csv:L3']);
    expect(outcome.report['unclosed.csv:L3']).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('lines 3-6, to the end of the file, are not read'),
    });
    expect(isErased('oscar.lambert@example.com')).toBe(true);
    expect(['paula.ricci@example.com', 'camille.perrin@example.fr', 'bruno.keller@example.net'].map(isErased)).toEqual([false, false, false]);
    expectNoneWritten(outcome, ['paula', 'camille', 'perrin', 'bruno', 'keller']);
  });

  test('a row whose field count differs from the header line is rejected; the rows after it are erased', async () => {
    const outcome = await run('field-count.csv', 'request_id;email;search\nF-1;hugo.petit@example.com;Hugo;Petit\nF-2;jules.garnier@example.com;\n');

    expect(outcome.code).toBe(2);
    expect(outcome.report['F-1']).toEqual({ status: 'rejected', reason: expect.stringContaining('the row has 4 fields where the header line has 3') });
    expect(outcome.report['F-2']?.status).toBe('completed');
    expect(isErased('jules.garnier@example.com')).toBe(true);
    expect(isErased('hugo.petit@example.com')).toBe(false);
    expectNoneWritten(outcome, ['hugo', 'petit']);
  });

  test('an e-mail holding a line break is rejected, the rows it swallowed with it; the rows after it are erased', async () => {
    const outcome = await run(
      'line-break.csv',
      'request_id;email\nB-1;"paula.ricci@example.com\nZK-77;camille.perrin@example.fr"\nB-3;ines.moreau@example.com\n',
    );

    expect(outcome.code).toBe(2);
    expect(outcome.report['B-1']).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('email holds a line break (the row runs from line 2 to line 3)'),
    });
    expect(outcome.report['B-3']?.status).toBe('completed');
    expect(isErased('ines.moreau@example.com')).toBe(true);
    expect(['paula.ricci@example.com', 'camille.perrin@example.fr'].map(isErased)).toEqual([false, false]);
    expectNoneWritten(outcome, ['paula', 'camille', 'ZK-77']);
  });

  test('a request_id with an @, one with 6 digits, one over 128 characters: each row rejected under its file and line', async () => {
    const longId = `T-${'q'.repeat(140)}`;
    const outcome = await run(
      'ids.csv',
      `request_id;email\nlea.fontaine@example.com;lea.fontaine@example.com\nT-0639980300;mael.chevalier@example.com\n${longId};nora.benali@example.com\nT-12345;oscar.lambert@example.com\n`,
    );

    expect(outcome.code).toBe(2);
    expect(outcome.report).toEqual({
      'ids.csv:L2': { status: 'rejected', reason: expect.stringContaining('request_id holds an @') },
      'ids.csv:L3': { status: 'rejected', reason: expect.stringContaining('request_id holds 6 digits in a row') },
      'ids.csv:L4': { status: 'rejected', reason: expect.stringContaining('request_id is longer than 128 characters') },
      'T-12345': { status: 'completed', reason: expect.any(String) },
    });
    expect(isErased('oscar.lambert@example.com')).toBe(true);
    expect(['lea.fontaine@example.com', 'mael.chevalier@example.com', 'nora.benali@example.com'].map(isErased)).toEqual([false, false, false]);
    expectNoneWritten(outcome, ['lea.fontaine', '0639980300', 'qqqqqqqq', 'mael', 'nora']);
  });
});
