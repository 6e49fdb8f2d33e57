import { request as httpRequest } from 'node:http';
import { spawnCli, type CliResult } from './runCli.js';

/** A running `iadvize-erasure review`, its URL read from the one line it prints. */
export interface ReviewSession {
  url: URL;
  origin: string;
  port: number;
  secret: string;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends SIGINT and waits for it to end. */
  stop(): Promise<CliResult>;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\?s=[A-Za-z0-9_-]+)/;

/** Starts `review` as a child process (the built CLI) and resolves once it printed its URL; rejects if it ends first. */
export function startReview(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<ReviewSession> {
  const { child, done } = spawnCli(['review', ...args], env, timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const found = URL_LINE.exec(stdout);
      if (found === null) return;
      child.stdout?.off('data', onData);
      const url = new URL(found[1]!);
      resolve({
        url,
        origin: url.origin,
        port: Number(url.port),
        secret: url.searchParams.get('s')!,
        output: () => ({ stdout, stderr }),
        stop: () => {
          child.kill('SIGINT');
          return done;
        },
      });
    };
    child.stdout?.on('data', onData);
    void done.then((result) => reject(new Error(`review ended before printing its URL: exit ${result.code}, stderr ${result.stderr.slice(0, 500)}`)), reject);
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers, Host included (fetch does not let a test set Host). */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}
