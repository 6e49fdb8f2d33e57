import { execFileSync } from 'node:child_process';

/** Jest global setup: build dist/ once, so tests of the shipped CLI run what `npm run build` makes. */
export default function buildOnce() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
