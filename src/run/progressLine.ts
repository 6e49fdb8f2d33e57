import { isInteractive } from '../logging/logFormat.js';
import { stderrStatusLine, type StatusLine } from '../logging/statusLine.js';
import { ProgressMeter, type Progress } from './progressMeter.js';
import { progressText } from './progressText.js';

export type { Progress };

export interface ProgressLineOptions {
  /** Where the line is drawn; log lines are written above it there. */
  status: StatusLine;
  /** Told when the terminal is resized: the line is drawn again at once, to the new width. */
  resizes?: { on(event: 'resize', listener: () => void): unknown; off(event: 'resize', listener: () => void): unknown };
  nowMs?: () => number;
  redrawMs?: number;
}

const REDRAW_MS = 250;

/**
 * Draws the progress in place until the returned stop is called, which draws its final state once
 * and ends the line. Off when a person is not watching stderr (logFormat.ts): a CronJob's log or a
 * file gets the log lines only.
 */
export function startStderrProgress(read: () => Progress): () => void {
  if (!isInteractive(process.env, process.stderr)) return () => {};
  return startProgressLine(read, { status: stderrStatusLine(), resizes: process.stderr });
}

export function startProgressLine(read: () => Progress, options: ProgressLineOptions): () => void {
  const { status, resizes } = options;
  const nowMs = options.nowMs ?? Date.now;
  const meter = new ProgressMeter(nowMs());
  const draw = () => status.show(progressText(meter.read(read(), nowMs()), status.columns));
  draw();
  const timer = setInterval(draw, options.redrawMs ?? REDRAW_MS);
  timer.unref();
  resizes?.on('resize', draw);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    resizes?.off('resize', draw);
    status.end(progressText(meter.read(read(), nowMs(), true), status.columns, true));
  };
}
