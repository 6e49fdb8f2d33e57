const LOCK_SUFFIX = '.lock';

/** The lock file guarding `guardedPath` (a ledger, or a watch claim): the one place its name is made. */
export function lockPathOf(guardedPath: string): string {
  return `${guardedPath}${LOCK_SUFFIX}`;
}

/** What the lock file `name` guards, or undefined when `name` is not a lock file's. */
export function guardedNameOf(name: string): string | undefined {
  return name.endsWith(LOCK_SUFFIX) ? name.slice(0, -LOCK_SUFFIX.length) : undefined;
}
