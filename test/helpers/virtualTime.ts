/**
 * A clock that runs with real time but jumps forward when slept on: backoffs and run-wide pauses
 * take no real time, and everything that reads the clock (the rate governor) sees them pass.
 */
export function virtualTime(options: { frozen?: boolean } = {}) {
  let offsetMs = 0;
  const sleeps: number[] = [];
  const start = Date.now();
  return {
    sleeps,
    /** With `frozen`, time moves only when slept on: exact, for a test of one call. */
    nowMs: () => (options.frozen ? start : Date.now()) + offsetMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      offsetMs += Math.max(0, ms);
    },
  };
}
