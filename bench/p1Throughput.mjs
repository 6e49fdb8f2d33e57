import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { ClosedConversationAnonymizeDocument, VisitorAnonymizeDocument } from '../dist/generated/graphql.js';
import { startSimulator } from '../dist/simulator/startSimulator.js';
import { p1Dataset, p1Targets, writeP1Requests } from './lib/p1Dataset.mjs';
import { runChild } from './lib/runChild.mjs';

const LATENCY_MS = 20;
const CONCURRENCY = 16;
const TOKEN = 'simulator-static-token';

/**
 * P1 and CPU: the tool's pipeline and the raw fetch loop, each in its own child process, each
 * against a fresh in-process simulator (in this, the bench's, process: its CPU is not the child's).
 */
export async function measureThroughput() {
  const dir = await mkdtemp(join(tmpdir(), 'iadvize-erasure-bench-p1-'));
  try {
    const dataset = p1Dataset();
    const file = await writeP1Requests(dir, dataset);
    const targets = p1Targets(dataset);
    const targetCount = targets.conversationIds.length + targets.visitorIds.length;
    const projectIds = dataset.projects.map((project) => project.id);

    const raw = await withSimulator(dataset, (simulator) =>
      runChild('rawMutations', {
        endpoint: simulator.graphqlUrl,
        token: TOKEN,
        concurrency: CONCURRENCY,
        conversationMutation: print(ClosedConversationAnonymizeDocument),
        visitorMutation: print(VisitorAnonymizeDocument),
        ...targets,
      }),
    );
    if (raw.failed > 0) throw new Error(`P1 baseline: ${raw.failed} mutations failed`);

    let simulatorCalls = 0;
    const tool = await withSimulator(dataset, async (simulator) => {
      const result = await runChild('toolRun', {
        endpoint: simulator.graphqlUrl,
        token: TOKEN,
        file,
        ledgerPath: join(dir, 'ledger.jsonl'),
        reportPath: join(dir, 'report.csv'),
        concurrency: CONCURRENCY,
        projectIds,
      });
      simulatorCalls = simulator.stats.graphqlRequests;
      const anonymized = [...simulator.store.conversations.values(), ...simulator.store.visitors.values()].filter((t) => t.anonymized).length;
      return { ...result, anonymized, mutations: simulator.mutationCalls.length };
    });
    if (tool.exitCode !== 0 || tool.anonymized !== targetCount) {
      throw new Error(`P1 tool: exit ${tool.exitCode}, ${tool.anonymized} of ${targetCount} targets anonymized`);
    }

    const toolRate = tool.anonymized / (tool.elapsedMs / 1000);
    const rawRate = raw.mutations / (raw.elapsedMs / 1000);
    const queries = simulatorCalls - tool.mutations;
    const setup = `${targetCount} targets (${dataset.visitors.length} people × ${dataset.conversations.length / dataset.visitors.length} conversations + their profiles), latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}`;
    return [
      {
        id: 'P1',
        figure: 'P1 throughput (anonymizations/s)',
        measured: toolRate,
        baseline: rawRate,
        ratio: toolRate / rawRate,
        target: '>= 0.95',
        pass: toolRate / rawRate >= 0.95,
        notes: [
          setup,
          `tool: ${tool.anonymized} anonymized in ${(tool.elapsedMs / 1000).toFixed(1)} s, plus ${queries} resolution queries (${((100 * queries) / tool.mutations).toFixed(1)}% of its calls' count over the mutations)`,
          `raw: ${raw.mutations} mutations in ${(raw.elapsedMs / 1000).toFixed(1)} s`,
        ],
      },
      {
        id: 'CPU',
        figure: 'CPU per target (ms, tool process)',
        measured: tool.cpuMs / targetCount,
        baseline: raw.cpuMs / targetCount,
        ratio: tool.cpuMs / raw.cpuMs,
        target: 'reported',
        pass: undefined,
        notes: [`tool ${Math.round(tool.cpuMs)} ms CPU, raw ${Math.round(raw.cpuMs)} ms CPU, over the same ${targetCount} targets (the simulator's CPU is in another process)`],
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withSimulator(dataset, use) {
  // generateDataset is deterministic; each run gets a fresh, un-anonymized copy.
  const simulator = await startSimulator({ dataset: structuredClone(dataset), faults: { latencyMs: LATENCY_MS } });
  try {
    return await use(simulator);
  } finally {
    await simulator.close();
  }
}
