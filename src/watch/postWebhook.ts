import type { Logger } from '../logging/createLogger.js';

const TIMEOUT_MS = 10_000;
const ATTEMPTS = 2;

/** POSTs a file's summary as JSON; a failure is logged (status or error name only) and never thrown. */
export async function postWebhook(url: string, body: unknown, logger: Logger, file: string): Promise<boolean> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return true;
      logger.warn({ file, attempt, status: response.status }, 'webhook answered an error');
    } catch (error) {
      logger.warn({ file, attempt, error: error instanceof Error ? error.name : typeof error }, 'webhook could not be reached');
    }
  }
  return false;
}
