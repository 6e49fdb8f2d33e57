import { pino, type Logger, type LoggerOptions } from 'pino';
import { logFormatOf } from './logFormat.js';
import { stderrStatusLine } from './statusLine.js';
import { terminalLogDestination } from './terminalLogDestination.js';

export type { Logger };

const INFO = 30;

/**
 * Logs on stderr, written synchronously: an async destination loses its last lines on exit, on a
 * crash and on SIGTERM (docs/toolchain.md#traps), and stdout stays free for results. JSON lines, or
 * on a terminal lines for a person (logFormat.ts), written above the progress line.
 * Log ids, line numbers, counts and error codes only; never a row, a search or an API error's message.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options: LoggerOptions = { level, base: { name: 'iadvize-erasure' } };
  if (logFormatOf(process.env, process.stderr) === 'json') return pino(options, pino.destination({ dest: 2, sync: true }));
  const colorize = process.stderr.isTTY && process.env.NO_COLOR === undefined;
  return pino({ ...options, hooks: { logMethod: perRequestInfoAsDebug } }, terminalLogDestination(stderrStatusLine(), colorize));
}

/**
 * On a terminal, an info line about one request (it names a requestId: "request finished") is
 * written at debug: one a request would scroll the progress away. Its warnings stay warnings.
 * JSON keeps every line at its level: operators parse them.
 */
function perRequestInfoAsDebug(this: Logger, args: Parameters<Logger['info']>, write: (...args: unknown[]) => void, level: number): void {
  const [fields] = args;
  if (level === INFO && typeof fields === 'object' && fields !== null && 'requestId' in fields) {
    this.debug(...args);
    return;
  }
  write.apply(this, args);
}
