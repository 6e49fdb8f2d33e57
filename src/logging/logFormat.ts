/** How log lines are written on stderr: one JSON object a line, or a line for a person. */
export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT=json or pretty says; otherwise pretty on a terminal, and JSON everywhere else (a
 * CronJob's log, a file, a pipe), where they are parsed.
 */
export function logFormatOf(env: NodeJS.ProcessEnv, stderr: { isTTY?: boolean }): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return stderr.isTTY === true ? 'pretty' : 'json';
}

/**
 * A person is watching stderr: it is a terminal and JSON was not asked for. LOG_FORMAT=json turns
 * the progress off too: a container run with a terminal (docker -t, tty: true) keeps clean lines.
 */
export function isInteractive(env: NodeJS.ProcessEnv, stderr: { isTTY?: boolean }): boolean {
  return stderr.isTTY === true && logFormatOf(env, stderr) === 'pretty';
}
