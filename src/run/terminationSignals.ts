const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `work` under the commands' signal handling: the first SIGINT or SIGTERM aborts the signal
 * `work` is handed, with the signal's name as reason (stop gracefully: no new work, flush); a
 * second one calls `onSecondSignal` (stop waiting for the calls in flight). The handlers go once
 * `work` settles.
 */
export async function withTerminationSignals<T>(work: (stop: AbortSignal) => Promise<T>, onSecondSignal: () => void): Promise<T> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) onSecondSignal();
    else stop.abort(signal);
  };
  for (const name of TERMINATION_SIGNALS) process.on(name, onSignal);
  try {
    return await work(stop.signal);
  } finally {
    for (const name of TERMINATION_SIGNALS) process.off(name, onSignal);
  }
}

/** Resolves on the first SIGINT or SIGTERM; a second one gets Node's default and ends the process at once. */
export function nextTerminationSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of TERMINATION_SIGNALS) process.off(name, onSignal);
      resolve(signal);
    };
    for (const name of TERMINATION_SIGNALS) process.on(name, onSignal);
  });
}
