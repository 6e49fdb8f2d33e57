import { createLogger } from '../logging/createLogger.js';
import type { ExitCodeOf } from '../outcome/outcome.js';
import { runErasure, type RunObserver, type RunOptions, type RunResult } from './runErasure.js';
import { packageVersion } from '../version.js';
import { createApiClient, createTokenProvider, type ApiConnection } from './apiConnection.js';
import { asCredentialsError } from './credentialsError.js';
import { createPreflight } from './preflight.js';
import { withTerminationSignals } from './terminationSignals.js';

/** A run as a command sets it up: its options and its API connection. */
export interface RunSetup extends ApiConnection {
  run: RunOptions;
}

/** The run (run, plan's dry run, apply) with its own client, under the commands' signal handling; a refused token becomes a CredentialsError. */
export async function executeRun(setup: RunSetup, exitCodeOf: ExitCodeOf, observer?: RunObserver): Promise<RunResult> {
  const logger = createLogger();
  // one token source for the preflight and the run: a password grant logs in once
  const tokens = createTokenProvider(setup.auth);
  const client = createApiClient(setup, setup.run.concurrency, tokens);
  try {
    // First signal: stop gracefully (runErasure). Second: stop waiting for the calls in flight.
    return await withTerminationSignals(
      (stop) =>
        runErasure(setup.run, {
          client,
          logger,
          version: packageVersion(),
          stop,
          exitCodeOf,
          preflight: createPreflight(setup, tokens),
          ...(setup.piiKey !== undefined ? { piiKey: setup.piiKey } : {}),
          ...(observer !== undefined ? { observer } : {}),
        }),
      () => client.abortInFlight(),
    );
  } catch (error) {
    throw asCredentialsError(error);
  }
}
