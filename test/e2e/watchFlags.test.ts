import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { REPO_ROOT, runCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * Which of run's flags `watch` takes: those that say how a file is read, resolved and sent; not
 * those of one ledger (the folder gives each file its own), of deciding (done on a file's ledger
 * afterwards), or of sharding (watchers on one folder already share its files by atomic claims).
 */

let simulator: Simulator;
let workDir: string;

beforeEach(async () => {
  simulator = await startSimulator({ dataset: await loadDataset() });
  workDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-watch-flags-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(workDir, { recursive: true, force: true });
});

const ENV = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };

/** The flags an Options section lists. */
function optionsOf(help: string): string[] {
  const options = help.slice(help.indexOf('\nOptions:'), help.indexOf('\n\n', help.indexOf('\nOptions:')));
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]!);
}

describe('watch and run flags', () => {
  test.each([
    [['--shard', '0/2'], 'watch takes no --shard: several watchers on one folder already share its files', 'start more watchers instead'],
    [['--approve', 'R-17'], 'watch takes no --approve:', 'iadvize-erasure apply done/<file>.ledger.jsonl --approve <ids>'],
    [['--reviewer', 'jdoe'], 'watch takes no --reviewer:', 'iadvize-erasure apply done/<file>.ledger.jsonl --approve <ids> --reviewer <name>'],
    [['--ledger', 'x.ledger.jsonl'], 'watch takes no --ledger: each file gets its own ledger', 'done/<file>.ledger.jsonl'],
    [['--report', 'x.report.csv'], 'watch takes no --report: each file gets its own report', 'done/<file>.report.csv'],
    [['--force-ledger'], 'watch takes no --force-ledger: each file starts a ledger of its own', 'iadvize-erasure run <file> --ledger <it> --force-ledger'],
  ])('%j is refused at start, in one line saying what to do instead, before the folder is touched', async (flag, what, instead) => {
    await writeFile(join(workDir, 'r.csv'), 'request_id,email\nR1,alice.marchetti@example.com\n');
    const result = await runCli(['watch', join(workDir, 'drop'), '--once', '--endpoint', simulator.graphqlUrl, ...flag], ENV);

    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`iadvize-erasure: ${what}`);
    expect(result.stderr).toContain(instead);
    expect(result.stderr).not.toContain('unknown option');
    expect(await readdir(workDir)).toEqual(['r.csv']);
    expect(simulator.stats.graphqlRequests).toBe(0);
  });

  test("every flag of run is either taken by watch or refused by name, and watch's help and docs/design.md say which", async () => {
    const [runHelp, watchHelp] = await Promise.all([runCli(['run', '--help']), runCli(['watch', '--help'])]);
    const note = watchHelp.stdout.slice(
      watchHelp.stdout.indexOf('\nNot taken from run'),
      watchHelp.stdout.indexOf('\n\n', watchHelp.stdout.indexOf('\nNot taken from run')),
    );
    const refused = /^Not taken from run \(each says what to do instead\): ([^.]+)\./.exec(note.trim().replace(/\n/g, ' '))?.[1]?.split(', ');
    expect(refused).toEqual(['--ledger', '--report', '--force-ledger', '--approve', '--reviewer', '--shard']);
    const taken = optionsOf(watchHelp.stdout);
    for (const flag of optionsOf(runHelp.stdout)) expect([flag, taken.includes(flag) !== refused!.includes(flag)]).toEqual([flag, true]);

    const design = await readFile(join(REPO_ROOT, 'docs', 'design.md'), 'utf8');
    const sentence = /^`watch` takes `run`'s flags except the files, (.*)\. /m.exec(design)?.[1] ?? '';
    expect([...sentence.matchAll(/`(--[\w-]+)`/g)].map((match) => match[1]).sort()).toEqual([...refused!].sort());
  });

  test("the run flags it takes reach each file's run: read, resolved and recorded as they say", async () => {
    await mkdir(join(workDir, 'inbox'));
    // 12/01/2026 read month first is 1 December
    await writeFile(join(workDir, 'inbox', 'r.csv'), 'request_id,email,received_at\nR1,alice.marchetti@example.com,12/01/2026\n');
    // without offset, UTC: not the time in the zone of the machine
    const flags = ['--dry-run', '--since', '2024-01-01', '--until', '2026-12-01T00:00', '--max-visitors-per-request', '3', '--default-country', 'FR'];
    const reading = ['--encoding', 'utf-8', '--date-order', 'mdy', '--concurrency', '2', '--rate', '200', '--project-ids', '6949', '--umask', '027'];
    const result = await runCli(['watch', workDir, '--once', '--quiet', '0.1', '--endpoint', simulator.graphqlUrl, ...flags, ...reading], {
      ...ENV,
      TZ: 'Pacific/Kiritimati',
    });

    expect([result.code, result.stderr]).toEqual([0, expect.any(String)]);
    const done = await readdir(join(workDir, 'done'));
    const ledger = done.find((name) => name.endsWith('.ledger.jsonl'))!;
    const [run, ...events] = (await readFile(join(workDir, 'done', ledger), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(run).toMatchObject({
      type: 'run',
      options: {
        concurrency: 2,
        projectIds: [6949],
        maxVisitorsPerRequest: 3,
        defaultCountry: 'FR',
        encoding: 'utf-8',
        dateOrder: 'mdy',
        interval: { from: '2024-01-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
        dryRun: true,
      },
    });
    expect(events.find((event) => event.type === 'request')).toMatchObject({ requestId: 'R1', status: 'planned', receivedAt: '2026-12-01T00:00:00.000Z' });
    expect(simulator.mutationCalls).toHaveLength(0);
  });
});
