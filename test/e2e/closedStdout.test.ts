import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { spawnCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';
import { useSimulatorWorkspace } from '../helpers/simulatorWorkspace.js';

/**
 * A reader that stops early (`iadvize-erasure run --help | head`) closes the pipe: what is left of
 * the output has nobody to go to. That is not an error of the command, nor a reason for a stack.
 */
describe('stdout closed by its reader', () => {
  test.each(['--help', 'run --help', 'verify --help'])('%s: exit 0, and no EPIPE on stderr', async (line) => {
    const { child, done } = spawnCli(line.split(' '));
    child.stdout!.destroy();

    const result = await done;

    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    expect(result.code).toBe(0);
  });
});

describe('a run whose stdout is closed', () => {
  const space = useSimulatorWorkspace('closed-stdout');

  test('still ends with its own exit code and writes its ledger; only the summary is dropped', async () => {
    await writeFile(space.path('requests.csv'), 'request_id,email\nR-1,camille.perrin@example.fr\n', 'utf8');
    const { child, done } = spawnCli(
      [
        'run',
        space.path('requests.csv'),
        '--ledger',
        space.path('ledger.jsonl'),
        '--report',
        space.path('report.csv'),
        '--endpoint',
        space.simulator.graphqlUrl,
      ],
      {
        IADVIZE_TOKEN: STATIC_TOKEN,
        IADVIZE_PROJECT_IDS: '6949,7012',
      },
    );
    child.stdout!.destroy();

    const result = await done;

    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    expect(result.code).toBe(0);
    expect(await readFile(space.path('ledger.jsonl'), 'utf8')).toContain('"type":"summary"');
  });
});
