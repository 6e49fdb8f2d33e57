/** The command was called wrongly (a bad flag or value): exit 1, with a message for whoever typed it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
