import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerClosedError, LedgerWriteError } from './ledgerErrors.js';
import type { LedgerEvent } from './ledgerEvents.js';
import { syncDirectory } from '../files/syncDirectory.js';
import { writeFully } from '../files/writeFully.js';

export interface LedgerWriterOptions {
  /** How long a batch waits for more appends before it is written (default 0: as soon as the previous flush ends). */
  maxBatchDelayMs?: number;
}

export interface LedgerWriter {
  /** Resolves once the event's line is written and fdatasync'd; rejects if that cannot be promised. */
  append(event: LedgerEvent): Promise<void>;
  /** Waits for every pending append, then closes the file; rejects with the write error if any append failed. */
  close(): Promise<void>;
  /** fdatasync calls so far: one per batch, so far fewer than appends under load. */
  readonly flushes: number;
}

interface PendingLine {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Opens (or creates, with its directories) the JSON Lines ledger for appending. Appends made while
 * a write+fdatasync is under way are grouped into the next single write+fdatasync (group commit):
 * one fsync per batch instead of per event.
 */
export async function openLedgerWriter(path: string, options: LedgerWriterOptions = {}): Promise<LedgerWriter> {
  await mkdir(dirname(path), { recursive: true });
  const existed = await stat(path).then(
    () => true,
    () => false,
  );
  // O_APPEND: each write lands at the end even if the file grew since, so a line is never overwritten
  const handle = await open(path, 'a');
  try {
    const needsNewline = await endsWithTornLine(handle, path);
    if (!existed) await syncDirectory(dirname(path));
    return new GroupCommitWriter(handle, path, needsNewline ? '\n' : '', options.maxBatchDelayMs ?? 0);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** A crash mid-write leaves a last line without "\n"; the next event must not be glued onto it. */
async function endsWithTornLine(handle: FileHandle, path: string): Promise<boolean> {
  const stats = await handle.stat();
  const size = stats.size;
  if (!stats.isFile() || size === 0) return false;
  // the append handle is write-only, so the last byte is read through a second one
  const reader = await open(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    await reader.read(byte, 0, 1, size - 1);
    return byte[0] !== 0x0a;
  } finally {
    await reader.close();
  }
}

class GroupCommitWriter implements LedgerWriter {
  private queue: PendingLine[] = [];
  private draining: Promise<void> | undefined;
  private failure: LedgerWriteError | undefined;
  private closing: Promise<void> | undefined;
  private flushCount = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private prefix: string,
    private readonly batchDelayMs: number,
  ) {}

  get flushes(): number {
    return this.flushCount;
  }

  append(event: LedgerEvent): Promise<void> {
    if (this.closing) return Promise.reject(new LedgerClosedError());
    if (this.failure) return Promise.reject(this.failure);
    let line: string;
    try {
      line = `${JSON.stringify(event)}\n`;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError('event is not serializable'));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.draining;
    let closeError: unknown;
    await this.handle.close().catch((error: unknown) => {
      closeError = error;
    });
    if (this.failure) throw this.failure;
    if (closeError !== undefined) throw new LedgerWriteError(closeError, this.path);
  }

  /** Never rejects: a failure is handed to the affected appends instead. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // let the appends of the current tick (or of the delay) join this batch
        await (this.batchDelayMs > 0 ? sleep(this.batchDelayMs) : Promise.resolve());
        const batch = this.queue;
        this.queue = [];
        let text = this.prefix;
        for (const pending of batch) text += pending.line;
        try {
          await writeFully(this.handle, Buffer.from(text, 'utf8'));
          await this.handle.datasync();
        } catch (error) {
          this.fail(new LedgerWriteError(error, this.path), batch);
          return;
        }
        this.prefix = '';
        this.flushCount += 1;
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.draining = undefined;
    }
  }

  private fail(error: LedgerWriteError, batch: PendingLine[]): void {
    this.failure = error;
    const affected = [...batch, ...this.queue];
    this.queue = [];
    for (const pending of affected) pending.reject(error);
  }
}
