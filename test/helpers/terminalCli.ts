import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './runCli.js';

export interface TerminalRun {
  /** Resolves with the exit code and all the terminal received (stdout and stderr as one, \n as \r\n). */
  done: Promise<{ code: number | null; output: string }>;
  /** What the terminal has received so far. */
  output(): string;
  /** Types on the terminal's keyboard: '\x03' is Ctrl-C, a SIGINT to the command from the terminal. */
  type(text: string): void;
}

export interface TerminalOptions {
  columns: number;
  /** Where the command's stderr goes instead of the terminal: a file path. */
  stderrTo?: string;
  timeoutMs?: number;
}

/**
 * The built CLI under a pseudo-terminal of `columns` columns (util-linux `script`), as a person at a
 * terminal runs it. The command gets only the environment given, as runCli's do.
 */
export function runCliInTerminal(args: string[], env: Record<string, string>, options: TerminalOptions): TerminalRun {
  const command = [process.execPath, join(REPO_ROOT, 'dist', 'cli.js'), ...args].map(shellQuoted).join(' ');
  const redirect = options.stderrTo === undefined ? '' : ` 2>${shellQuoted(options.stderrTo)}`;
  const child = spawn('script', ['-qfec', `stty cols ${options.columns} rows 40; exec ${command}${redirect}`, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
  return { done, output: () => output, type: (text) => child.stdin.write(text) };
}

function shellQuoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
