import { PlanError } from './planError.js';
import { RequestFileError } from '../requests/requestFileError.js';
import { sha256OfFile } from '../requests/sha256OfFile.js';
import type { Plan } from './plan.js';

/**
 * A plan is applied only to the very files it was made from: a request withdrawn or corrected
 * since must not be erased on an old reading. A missing file cannot be shown unchanged either.
 */
export async function checkPlanInputs(plan: Plan, planPath: string): Promise<void> {
  for (const input of plan.inputs) {
    let sha256: string;
    try {
      sha256 = await sha256OfFile(input.file);
    } catch (error) {
      if (!(error instanceof RequestFileError)) throw error;
      throw new PlanError(`refusing ${planPath}: its input ${input.file} ${error.reason}; apply needs the files the plan was made from`);
    }
    if (sha256 !== input.sha256) {
      throw new PlanError(`refusing ${planPath}: its input ${input.file} changed since the plan was made (SHA-256 differs); make a new plan`);
    }
  }
}
