import type { Command } from 'commander';
import { UsageError } from '../cliErrors.js';
import { readHeldSubject } from '../decisions/heldSubject.js';
import { createLogger } from '../logging/createLogger.js';
import { startReviewServer } from '../review/reviewServer.js';
import { newReviewSecret } from '../review/reviewSecret.js';
import { nextTerminationSignal } from '../run/terminationSignals.js';
import { parseWholeFlag } from './numberFlags.js';
import { parseConcurrency, parseConnection } from './parseRunFlags.js';
import { addRunFlags, API_FLAGS, DEFAULT_LEDGER, DEFAULT_REPORT, type RawRunFlags } from './runFlags.js';

type RawReviewFlags = Pick<RawRunFlags, 'ledger' | 'report' | 'concurrency' | 'rate' | 'endpoint'> & { port?: string };

export function registerReviewCommand(program: Command): void {
  const command = program
    .command('review')
    .description(
      'Serve a local page (127.0.0.1 only) to decide the held targets of a plan or ledger, read live from the API; ' +
        'prints one URL with a secret, saves the decisions beside the subject and applies them; runs until Ctrl-C',
    )
    .argument('<subject>', 'a plan (plan.json) or a ledger whose run or watch held requests for review');
  addRunFlags(command, ['ledger', 'report', ...API_FLAGS], {
    ledger: `for a plan: the ledger its apply button appends to, as apply --ledger (default: ${DEFAULT_LEDGER}); a ledger's decisions go to that ledger`,
    report: `for a plan: the report its apply button writes (default: ${DEFAULT_REPORT}); a ledger's is beside it`,
  });
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
  if (subject.kind === 'ledger' && flags.ledger !== undefined)
    throw new UsageError('--ledger is for a plan: the decisions on a ledger are applied to that ledger');
  if (subject.withoutResolution.length > 0) {
    process.stdout.write(
      `${subject.withoutResolution.length} held requests have no resolution on record (an older version held them): release them with run <files> --approve\n`,
    );
  }
  if (subject.requests.length === 0) {
    process.stdout.write(`No request of ${subject.path} needs a decision.\n`);
    return;
  }
  // listening before the signal handlers are set would leave Ctrl-C to kill it mid-write; set them first
  const signal = nextTerminationSignal();
  const server = await startReviewServer({
    subject,
    secret: newReviewSecret(),
    settings: {
      connection,
      concurrency,
      ...(flags.ledger !== undefined ? { ledger: flags.ledger } : {}),
      ...(flags.report !== undefined ? { report: flags.report } : {}),
    },
    port,
    logger: createLogger(),
  });
  process.stdout.write(`Review ${subject.requests.length} held requests at ${server.url}\n`);
  await signal;
  await server.close();
}
