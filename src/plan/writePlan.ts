import { writeFileAtomically } from '../files/writeFileAtomically.js';
import type { Plan } from './plan.js';

/** Written atomically; one request a line, so a reviewer can read and diff it. */
export async function writePlan(path: string, plan: Plan): Promise<void> {
  await writeFileAtomically(path, planText(plan));
}

function* planText(plan: Plan): Iterable<string> {
  const { requests, ...header } = plan;
  const head = JSON.stringify(header, null, 2);
  yield `${head.slice(0, -2)},\n  "requests": [`;
  for (const [index, request] of requests.entries()) yield `${index === 0 ? '' : ','}\n    ${JSON.stringify(request)}`;
  yield requests.length === 0 ? ']\n}\n' : '\n  ]\n}\n';
}
