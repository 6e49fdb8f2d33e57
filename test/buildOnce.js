import { execFileSync } from 'node:child_process';

/** Jest global setup: build dist/ once, so tests of the shipped CLI run what `npm run build` makes (with TypeScript 7, installed as @typescript/native). */
export default function buildOnce() {
  execFileSync(process.execPath, ['node_modules/@typescript/native/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
