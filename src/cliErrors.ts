/** The command was called wrongly (a bad flag or value): exit 1, with a message for whoever typed it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command finished and its outcome is this exit code; a message, if any, is already out. */
export class ExitError extends Error {
  override readonly name = 'ExitError';

  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
