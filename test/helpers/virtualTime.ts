/**
 * A clock that runs with real time but jumps forward when slept on: backoffs and run-wide pauses
 * take no real time, and everything that reads the clock (the rate governor) sees them pass.
 */
export function virtualTime() {
  let offsetMs = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    nowMs: () => Date.now() + offsetMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      offsetMs += Math.max(0, ms);
    },
  };
}
