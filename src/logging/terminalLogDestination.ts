import { prettyFactory } from 'pino-pretty';
import type { StatusLine } from './statusLine.js';

/**
 * Where pino writes on a terminal: each JSON line made readable (local time, level, message, then
 * the fields on the same line), written above the status line. In-process and synchronous, not a
 * pino-pretty transport: its worker thread loses the last lines on exit (docs/toolchain.md#traps).
 */
export function terminalLogDestination(status: StatusLine, colorize: boolean): { write(line: string): void } {
  const prettify = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name', singleLine: true });
  return {
    write(line: string) {
      const text = prettify(line);
      if (text !== '') status.writeAbove(text);
    },
  };
}
