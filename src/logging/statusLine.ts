/** What a status line needs of its stream: process.stderr, or a test's stand-in. */
export interface TerminalStream {
  write(text: string): unknown;
  readonly columns?: number;
}

/** Used when the terminal does not say its width. */
const DEFAULT_COLUMNS = 80;
/** Back to the start of the line, and clear it. */
const ERASE_LINE = '\r\x1b[K';

/**
 * The one owner of a terminal's last line: a status drawn in place, and text written above it.
 * Text written above clears the status, is written, and the status is drawn again under it, in one
 * write, so a log line and the status never garble each other. Every write is synchronous (on Linux,
 * process.stderr writes so to a terminal, a pipe or a file): nothing waits in a buffer at exit.
 */
export class StatusLine {
  #shown: string | undefined;

  constructor(private readonly stream: TerminalStream) {}

  /** The terminal's width now: read on every draw, so a resize is followed. */
  get columns(): number {
    const columns = this.stream.columns;
    return columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS;
  }

  /** Draws `text` in place of the status shown. The caller cuts it to `columns`. */
  show(text: string): void {
    this.stream.write(this.#erase() + text);
    this.#shown = text;
  }

  /** Writes `text` (whole lines) above the status, which is drawn again under it. */
  writeAbove(text: string): void {
    const lines = text.endsWith('\n') ? text : `${text}\n`;
    if (this.#shown === undefined) {
      this.stream.write(lines);
      return;
    }
    this.stream.write(this.#erase() + lines + this.#shown);
  }

  /** Draws `text` as the status's last state and ends its line: later text goes below it. */
  end(text: string): void {
    this.stream.write(`${this.#erase()}${text}\n`);
    this.#shown = undefined;
  }

  /**
   * Clears the status's row. A terminal made narrower may have wrapped the status onto two rows; the
   * first stays behind: moving up instead would erase a log line on a terminal that does not rewrap.
   */
  #erase(): string {
    return this.#shown === undefined ? '' : ERASE_LINE;
  }
}

let stderrStatus: StatusLine | undefined;

/** The status line of stderr: the progress draws it, the terminal's log lines are written above it. */
export function stderrStatusLine(): StatusLine {
  stderrStatus ??= new StatusLine(process.stderr);
  return stderrStatus;
}
