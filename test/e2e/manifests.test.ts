import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startSimulator, type Simulator } from '../../src/simulator/startSimulator.js';
import { REPO_ROOT, runCli } from '../helpers/runCli.js';
import { STATIC_TOKEN } from '../helpers/simulatorClient.js';

/**
 * The Kubernetes examples in deploy/ run as written: their container args, with /data pointing at a
 * temporary directory, are given to the built CLI against the simulator.
 */

interface Container {
  args: string[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  securityContext: { readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean };
}

let simulator: Simulator;
let dataDir: string;

beforeEach(async () => {
  simulator = await startSimulator();
  dataDir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-manifest-'));
});

afterEach(async () => {
  await simulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function manifest(name: string): Promise<Record<string, any>[]> {
  const text = await readFile(join(REPO_ROOT, 'deploy/kubernetes', name), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as Record<string, any>);
}

function projectIds(documents: Record<string, any>[]): string {
  return documents.find((document) => document.kind === 'ConfigMap')!.data.IADVIZE_PROJECT_IDS as string;
}

/** What the kubelet would run: /data is the volume, $(JOB_COMPLETION_INDEX) the pod's index. */
function argsFor(container: Container, index?: number): string[] {
  return container.args.map((arg) => arg.replaceAll('/data', dataDir).replaceAll('$(JOB_COMPLETION_INDEX)', String(index)));
}

describe('deploy/kubernetes/cronjob.yaml', () => {
  test('is a CronJob that never overlaps, takes its token from a Secret, and its command processes the drop folder', async () => {
    const documents = await manifest('cronjob.yaml');
    const cronJob = documents.find((document) => document.kind === 'CronJob')!;
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0] as Container;
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(container.env.find((variable) => variable.name === 'IADVIZE_TOKEN')!.valueFrom!.secretKeyRef).toMatchObject({ key: 'IADVIZE_TOKEN' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });

    await mkdir(join(dataDir, 'inbox'), { recursive: true });
    await writeFile(join(dataDir, 'inbox', 'requests.csv'), 'request_id,email\nR1,alice.marchetti@example.com\n', 'utf8');
    const result = await runCli([...argsFor(container), '--endpoint', simulator.graphqlUrl], {
      IADVIZE_TOKEN: STATIC_TOKEN,
      IADVIZE_PROJECT_IDS: projectIds(documents),
    });

    expect(result.code).toBe(0);
    expect(await readdir(join(dataDir, 'inbox'))).toEqual([]);
    expect((await readdir(join(dataDir, 'done'))).some((name) => name.endsWith('.summary.json'))).toBe(true);
    expect(simulator.mutationCalls.length).toBeGreaterThan(0);
  });
});

describe('deploy/kubernetes/indexed-job.yaml', () => {
  test('its pods split one file by --shard, each request handled by exactly one, within the shared rate budget', async () => {
    const job = (await manifest('indexed-job.yaml')).find((document) => document.kind === 'Job')!;
    const container = job.spec.template.spec.containers[0] as Container;
    const completions = job.spec.completions as number;
    expect(job.spec.completionMode).toBe('Indexed');
    const args = container.args;
    expect(args[args.indexOf('--shard') + 1]).toBe(`$(JOB_COMPLETION_INDEX)/${completions}`);
    // The account's budget (50 calls/s, docs/operating.md#scaling-out) is shared: the pods' rates add up to no more.
    expect(Number(args[args.indexOf('--rate') + 1]) * completions).toBeLessThanOrEqual(50);

    await mkdir(join(dataDir, 'bulk'), { recursive: true });
    const rows = Array.from({ length: 20 }, (_, n) => `B${n},nobody${n}@example.org`);
    await writeFile(join(dataDir, 'bulk', 'requests.csv'), `request_id,email\n${rows.join('\n')}\n`, 'utf8');
    const env = { IADVIZE_TOKEN: STATIC_TOKEN, IADVIZE_PROJECT_IDS: '6949,7012' };
    const indexes = Array.from({ length: completions }, (_, index) => index);
    const results = await Promise.all(indexes.map((index) => runCli([...argsFor(container, index), '--endpoint', simulator.graphqlUrl], env)));

    expect(results.map((result) => result.code)).toEqual(indexes.map(() => 0));
    const handled: string[] = [];
    for (const index of indexes) {
      const ledger = await readFile(join(dataDir, 'bulk', `erasure.${index}.ledger.jsonl`), 'utf8');
      for (const line of ledger.split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { type: string; requestId?: string };
        if (event.type === 'request') handled.push(event.requestId!);
      }
    }
    expect(handled.sort()).toEqual(rows.map((row) => row.split(',')[0]!).sort());
  });
});
