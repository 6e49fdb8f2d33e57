import { afterEach, beforeEach } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, type Dataset } from '../../src/simulator/dataset.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/startSimulator.js';

/** The fixture account, and a simulator serving it on 127.0.0.1. */
export interface SimulatedAccount {
  readonly dataset: Dataset;
  readonly simulator: Simulator;
}

/** What an e2e test works against: the simulated account, and a fresh folder. */
export interface SimulatorWorkspace extends SimulatedAccount {
  readonly workDir: string;
  path(...parts: string[]): string;
}

/**
 * Registers the beforeEach and afterEach that give each test of the file its own simulator over
 * the fixture dataset, closed after it.
 */
export function useSimulator(options: Omit<SimulatorOptions, 'dataset'> = {}): SimulatedAccount {
  let current: { dataset: Dataset; simulator: Simulator } | undefined;
  const now = () => {
    if (current === undefined) throw new Error('the simulator exists only inside a test');
    return current;
  };
  beforeEach(async () => {
    const dataset = await loadDataset();
    current = { dataset, simulator: await startSimulator({ ...options, dataset }) };
  });
  afterEach(async () => {
    const ended = current;
    current = undefined;
    await ended?.simulator.close();
  });
  return {
    get dataset() {
      return now().dataset;
    },
    get simulator() {
      return now().simulator;
    },
  };
}

/** useSimulator, and a temporary folder of its own for each test, removed after it. */
export function useSimulatorWorkspace(name: string, options: Omit<SimulatorOptions, 'dataset'> = {}): SimulatorWorkspace {
  const account = useSimulator(options);
  let workDir: string | undefined;
  const folder = () => {
    if (workDir === undefined) throw new Error('the workspace exists only inside a test');
    return workDir;
  };
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), `iadvize-erasure-${name}-`));
  });
  afterEach(async () => {
    const ended = workDir;
    workDir = undefined;
    if (ended !== undefined) await rm(ended, { recursive: true, force: true });
  });
  return {
    get dataset() {
      return account.dataset;
    },
    get simulator() {
      return account.simulator;
    },
    get workDir() {
      return folder();
    },
    path: (...parts) => join(folder(), ...parts),
  };
}
