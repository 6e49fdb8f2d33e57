/** `<time>-<pid>-<name>`: the time as in 20240131T235959123Z, so names sort by claim time. */
const CLAIMED_NAME = /^\d{8}T\d{9}Z-\d+-(.+)$/s;

/** The name a file gets in processing/, done/ and failed/, unique to one claim. */
export function claimedNameFor(name: string, nowMs: number, pid: number): string {
  return `${new Date(nowMs).toISOString().replace(/[-:.]/g, '')}-${pid}-${name}`;
}

/** The name the file was dropped under, or undefined when `claimed` is not a claimed name. */
export function droppedNameOf(claimed: string): string | undefined {
  return CLAIMED_NAME.exec(claimed)?.[1];
}
