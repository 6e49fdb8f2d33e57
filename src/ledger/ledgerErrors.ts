/** An append or close reached a writer that was already closed: a bug in the caller's ordering. */
export class LedgerClosedError extends Error {
  override readonly name = 'LedgerClosedError';
  readonly code = 'LEDGER_CLOSED';

  constructor() {
    super('the ledger writer is closed');
  }
}

/**
 * Writing or syncing the ledger failed (disk full, I/O error, file gone). Outcomes after this point
 * cannot be proven, so every pending and later append rejects with it. The message carries only the
 * system error code, never an event.
 */
export class LedgerWriteError extends Error {
  override readonly name = 'LedgerWriteError';
  readonly code = 'LEDGER_WRITE_FAILED';
  /** The system error code, e.g. "ENOSPC", when there is one. */
  readonly systemCode: string | undefined;

  /** `path`: the ledger's, named in the message (a path is not personal data; an event would be). */
  constructor(cause: unknown, path?: string) {
    const systemCode = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`writing the ledger${path !== undefined ? ` ${path}` : ''} failed${systemCode ? `: ${systemCode}` : ''}`, { cause });
    this.systemCode = systemCode;
  }
}
