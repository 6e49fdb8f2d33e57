/** A decisions file that cannot be executed as it is (unreadable, malformed, or not matching what it decides on): exit 1, the message names the file. */
export class DecisionsError extends Error {
  override readonly name = 'DecisionsError';
}
