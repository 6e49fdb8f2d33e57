import type { Command } from 'commander';
import { readHeldSubject } from '../decisions/heldSubject.js';
import { createLogger } from '../logging/createLogger.js';
import { startReviewServer } from '../review/reviewServer.js';
import { newReviewSecret } from '../review/reviewSecret.js';
import { nextTerminationSignal } from '../run/terminationSignals.js';
import { parseWholeFlag } from './numberFlags.js';
import { parseConcurrency, parseConnection } from './parseRunFlags.js';
import { addRunFlags, API_FLAGS, type RawRunFlags } from './runFlags.js';

type RawReviewFlags = Pick<RawRunFlags, 'concurrency' | 'rate' | 'endpoint'> & { port?: string };

export function registerReviewCommand(program: Command): void {
  const command = program
    .command('review')
    .description(
      'Serve a local page (127.0.0.1 only) to decide the held targets of a plan or ledger, read live from the API; ' +
        'prints one URL with a secret, saves the decisions beside the subject and applies them; runs until Ctrl-C',
    )
    .argument('<subject>', 'a plan (plan.json) or a ledger whose run or watch held requests for review');
  addRunFlags(command, [...API_FLAGS]);
  command.option('--port <n>', 'port on 127.0.0.1 (default: 0, a free one)');
  command.action(async (subjectPath: string, flags: RawReviewFlags) => {
    await reviewCommand(subjectPath, flags);
  });
}

async function reviewCommand(subjectPath: string, flags: RawReviewFlags): Promise<void> {
  const connection = parseConnection(flags, process.env);
  const concurrency = parseConcurrency(flags.concurrency);
  const port = flags.port === undefined ? 0 : parseWholeFlag('--port', flags.port, 0, 65_535);
  const subject = await readHeldSubject(subjectPath);
  if (subject.requests.length === 0) {
    process.stdout.write(`No request of ${subject.path} needs a decision.\n`);
    return;
  }
  // listening before the signal handlers are set would leave Ctrl-C to kill it mid-write; set them first
  const signal = nextTerminationSignal();
  const server = await startReviewServer({ subject, secret: newReviewSecret(), settings: { connection, concurrency }, port, logger: createLogger() });
  process.stdout.write(`Review ${subject.requests.length} held requests at ${server.url}\n`);
  await signal;
  await server.close();
}
