import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { isInterruption, outcomeOfSignal, worseOutcome, type Outcome } from '../outcome/outcome.js';
import { checkSameFilesystem } from './checkSameFilesystem.js';
import { claimFile } from './claimFile.js';
import { ensureDropFolder } from './dropFolder.js';
import { isStable, observeFile, observeFolder, type FileObservation } from './isStable.js';
import { processDroppedFile, type DroppedFileContext } from './processDroppedFile.js';
import { recoverClaims } from './recoverClaims.js';

export interface WatchOptions {
  dir: string;
  /** Process what inbox/ holds now, then return (CronJobs). */
  once: boolean;
  /** Between two looks at inbox/ when watching. */
  pollMs: number;
  /** How long a file must have been unchanged before it is claimed. */
  quietMs: number;
}

export type WatchContext = Omit<DroppedFileContext, 'folder' | 'quietMs'> & {
  /** Before a file of inbox/ is claimed (the command's preflight): throwing ends the watch and leaves the file where it is. */
  beforeClaim?: () => Promise<void>;
};

/**
 * `iadvize-erasure watch <dir>`: claims each file of inbox/ once it stopped changing and
 * processes it (processDroppedFile), one at a time. Before each look at inbox/, takes over the
 * files of processing/ whose watcher died (recoverClaims). With `once`, looks twice quietMs apart,
 * processes what was stable and returns the worst outcome; otherwise polls until stopped.
 * Stopped by a signal, the file under way finishes gracefully and the outcome is the signal's.
 */
export async function watchFolder(options: WatchOptions, context: WatchContext): Promise<Outcome> {
  const folder = await ensureDropFolder(options.dir);
  const { logger, stop } = context;
  const copiedInto = await checkSameFilesystem(folder);
  if (copiedInto.length > 0)
    logger.warn({ folders: copiedInto }, 'on another filesystem than processing/: files are copied there (copy, fsync, delete), not renamed');
  const fileContext: DroppedFileContext = { ...context, folder, quietMs: options.quietMs };
  const stoppedExit = () => outcomeOfSignal(stop.reason);
  let worst: Outcome = 'ok';
  /** Names already said to be left in inbox/: each is said once, not at every poll. */
  const mentioned = new Set<string>();
  const observeInbox = () =>
    observeFolder(folder.inbox, (name, kind) => {
      if (mentioned.has(name)) return;
      mentioned.add(name);
      logger.warn(
        { file: name, kind },
        kind === 'symlink'
          ? 'left in inbox/: a symlink is never followed; drop the file itself'
          : 'left in inbox/: a dotfile is taken for a scratch file; rename it to have it processed',
      );
    });

  /** Takes over and finishes the files of dead watchers; false once stopped. */
  const recover = async (): Promise<boolean> => {
    for (const outcome of await recoverClaims(fileContext)) worst = worseOutcome(worst, outcome);
    return !stop.aborted;
  };

  /** Claims and processes the names stable between `previous` and `current`; false once stopped. */
  const processStable = async (previous: Map<string, FileObservation>, current: Map<string, FileObservation>): Promise<boolean> => {
    for (const [name, observed] of [...current].sort(([a], [b]) => a.localeCompare(b))) {
      if (stop.aborted) return false;
      if (!isStable(previous.get(name), observed, Date.now(), options.quietMs)) {
        logger.debug({ file: name }, 'file seen, not yet stable');
        continue;
      }
      // Another file may have taken a while: check it did not change since.
      const now = await observeFile(join(folder.inbox, name));
      if (now === undefined || now.size !== observed.size || now.mtimeMs !== observed.mtimeMs) continue;
      await context.beforeClaim?.();
      const claim = await claimFile(folder, name, Date.now());
      if (claim === undefined) {
        logger.debug({ file: name }, 'file taken by another watcher');
        continue;
      }
      let outcome: Outcome = 'fatal';
      try {
        outcome = await processDroppedFile(claim.claimed, name, fileContext);
        worst = worseOutcome(worst, outcome);
      } finally {
        // Interrupted, the file stays claimed by a lock that goes stale as this watcher exits: the next one resumes it.
        if (isInterruption(outcome)) claim.lock.abandon();
        else await claim.lock.release();
      }
    }
    return !stop.aborted;
  };

  if (options.once) {
    if (!(await recover())) return stoppedExit();
    const first = await observeInbox();
    if (first.size > 0) await sleep(options.quietMs, undefined, { signal: stop }).catch(() => {});
    if (stop.aborted) return stoppedExit();
    const second = await observeInbox();
    if (!(await processStable(first, second))) return stoppedExit();
    logger.info({ exitCode: context.exitCodes.exitCodeOf(worst) }, 'inbox processed');
    return worst;
  }

  logger.info({ pollMs: options.pollMs }, 'watching inbox/');
  let previous = new Map<string, FileObservation>();
  while (!stop.aborted) {
    if (!(await recover())) break;
    const current = await observeInbox();
    if (!(await processStable(previous, current))) break;
    previous = current;
    await sleep(options.pollMs, undefined, { signal: stop }).catch(() => {});
  }
  return stoppedExit();
}
