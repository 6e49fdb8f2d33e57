/** Nothing to verify as asked (no ledger, a file it did not record, no project): exit 1, the message names what is missing. */
export class VerifyError extends Error {
  override readonly name = 'VerifyError';
}
