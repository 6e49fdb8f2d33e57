import { afterEach, beforeEach } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';

/** What an e2e test works against: the fixture account, a simulator serving it, and a fresh folder. */
export interface SimulatorWorkspace {
  readonly dataset: Dataset;
  readonly simulator: Simulator;
  readonly workDir: string;
  path(...parts: string[]): string;
}

/**
 * Registers the beforeEach and afterEach that give each test of the file its own simulator (on
 * 127.0.0.1, over the fixture dataset) and its own temporary folder, and remove both after it.
 */
export function useSimulatorWorkspace(name: string, options: Omit<SimulatorOptions, 'dataset'> = {}): SimulatorWorkspace {
  let current: { dataset: Dataset; simulator: Simulator; workDir: string } | undefined;
  const now = () => {
    if (current === undefined) throw new Error('the workspace exists only inside a test');
    return current;
  };
  beforeEach(async () => {
    const dataset = await loadDataset();
    current = { dataset, simulator: await startSimulator({ ...options, dataset }), workDir: await mkdtemp(join(tmpdir(), `iadvize-erasure-${name}-`)) };
  });
  afterEach(async () => {
    const ended = current;
    current = undefined;
    await ended?.simulator.close();
    if (ended !== undefined) await rm(ended.workDir, { recursive: true, force: true });
  });
  return {
    get dataset() {
      return now().dataset;
    },
    get simulator() {
      return now().simulator;
    },
    get workDir() {
      return now().workDir;
    },
    path: (...parts) => join(now().workDir, ...parts),
  };
}
