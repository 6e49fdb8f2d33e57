/** What the progress line shows. */
export interface Progress {
  requestsResolved: number;
  targetsDone: number;
  targetsTotal: number;
}

/**
 * On a terminal, one line on stderr rewritten in place: requests resolved, targets done out of
 * the total, and the rate. Off a terminal (CI, a CronJob's log), nothing: logs say enough there.
 */
export function startProgressLine(read: () => Progress, stream: NodeJS.WriteStream = process.stderr, nowMs: () => number = Date.now): () => void {
  if (!stream.isTTY) return () => {};
  const startedAt = nowMs();
  const draw = () => {
    const progress = read();
    const seconds = Math.max(0.001, (nowMs() - startedAt) / 1000);
    const rate = (progress.targetsDone / seconds).toFixed(1);
    stream.write(`\r\x1b[K${progress.requestsResolved} requests resolved · ${progress.targetsDone}/${progress.targetsTotal} targets done · ${rate}/s`);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    draw();
    stream.write('\n');
  };
}
