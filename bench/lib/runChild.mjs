import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `bench/children/<name>.mjs` in its own Node process and returns the JSON object it prints
 * as its last stdout line. Each figure's tool and baseline run in separate processes so that CPU
 * time and peak RSS are theirs alone (process.cpuUsage / resourceUsage inside the child).
 */
export function runChild(name, input, { nodeArgs = [], timeoutMs = 10 * 60_000 } = {}) {
  const script = fileURLToPath(new URL(`../children/${name}.mjs`, import.meta.url));
  return new Promise((resolve, reject) => {
    // The input goes on stdin: a list of 20 000 ids is past the argument size limit.
    const child = spawn(process.execPath, [...nodeArgs, script], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(JSON.stringify(input));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (process.env.BENCH_TRACE) process.stderr.write(`${stderr}\n`);
      if (code !== 0) return reject(new Error(`bench child ${name} ended with ${signal ?? code}: ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`bench child ${name} printed no result: ${stderr.slice(-2000)}`));
      }
    });
  });
}

/** Prints a child's result as its last stdout line. */
export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The JSON input a child was started with, read from stdin. */
export async function childInput() {
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk;
  return JSON.parse(text || '{}');
}

/** CPU milliseconds (user + system) this process has used since `since` (a process.cpuUsage()). */
export function cpuMsSince(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}
