/** What a run lock file records about the run that holds it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601. */
  startedAt: string;
  runId: string;
}

/**
 * Why the lock counts as held: a live run on this host; a lock left by this very process; a run on
 * another host, which cannot be checked from here; a lock file that is being written or cannot be
 * read; or other runs taking over the same stale lock right now.
 */
export type LockHeldReason = 'running' | 'own_process' | 'other_host' | 'unreadable' | 'contended';

/** Another run holds the ledger's lock: exit 4 (docs/design.md#exit-codes). */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly code = 'LOCK_HELD';

  constructor(
    readonly lockPath: string,
    readonly reason: LockHeldReason,
    /** What the lock file says, when it could be read. */
    readonly holder?: LockHolder,
  ) {
    super(describe(lockPath, reason, holder));
  }
}

function describe(lockPath: string, reason: LockHeldReason, holder: LockHolder | undefined): string {
  const who = holder ? `pid ${holder.pid} on host ${oneLine(holder.host)}, started ${oneLine(holder.startedAt)}` : undefined;
  switch (reason) {
    case 'running':
      return `another run holds the lock ${lockPath}: ${who}`;
    case 'own_process':
      return `this process already holds the lock ${lockPath}: ${who}`;
    case 'other_host':
      return (
        `a run on another host holds the lock ${lockPath}: ${who}; ` + `it cannot be checked from here, so if you are sure that run is over, delete ${lockPath}`
      );
    case 'unreadable':
      return `the lock ${lockPath} is being written by a starting run or cannot be read; if no other run is starting, delete it`;
    case 'contended':
      return `another run is taking over the stale lock ${lockPath}${who ? ` (${who})` : ''}; try again`;
  }
}

/** The fields come from a file anyone could have written; keep the message on one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
