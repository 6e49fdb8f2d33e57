import type { IadvizeClient } from '../api/iadvizeClient.js';
import type { Logger } from '../logging/createLogger.js';

/**
 * Why the run stops before its end, once it does: the stop signal's reason ('SIGINT', 'SIGTERM'),
 * or what the run sets (the circuit breaker). On the signal: no new call starts, the calls in
 * flight get `graceMs` to finish, then are aborted.
 */
export class RunStop {
  reason: string | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly client: IadvizeClient,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Once the work has ended: no grace timer or listener outlives the run. */
  dispose(): void {
    clearTimeout(this.graceTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => {
    this.reason = String(this.signal?.reason ?? 'SIGTERM');
    this.logger.warn({ signal: this.reason }, 'stopping: no new work; calls in flight may finish, then the ledger is flushed');
    this.client.stop('STOPPED');
    this.graceTimer = setTimeout(() => this.client.abortInFlight(), this.graceMs);
  };
}
