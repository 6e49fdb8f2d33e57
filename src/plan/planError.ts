/** A plan that cannot be applied as it is (unreadable, not a plan, or its inputs changed): exit 1, the message names the file. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}
