import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stderr, written synchronously: an async destination loses its last lines on
 * exit, on a crash and on SIGTERM (docs/toolchain.md#traps), and stdout stays free for results.
 * Log ids, line numbers, counts and error codes only; never a row, a search or an API error's message.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { name: 'iadvize-erasure' } }, pino.destination({ dest: 2, sync: true }));
}
