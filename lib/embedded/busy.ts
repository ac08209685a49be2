/**
 * Waiting for another process's write lock on a SQLite file without blocking
 * the event loop. node:sqlite is synchronous: its own busy timeout makes the
 * whole process wait. So connections keep that timeout short
 * (sqliteBlockingBusyMs: most waits end inside it, a writer holds the lock for
 * a few statements and one fsync) and longer waits are retried
 * asynchronously, the process serving its other work meanwhile.
 */

/** How long SQLite itself waits, blocking the thread, before a statement fails busy. */
export const sqliteBlockingBusyMs = 20;

/** How long a write waits, in total, for the lock before it fails (a transient failure). */
export const sqliteBusyWaitMsMax = 10_000;

/** First pause between asynchronous lock attempts; doubles up to busyRetryPauseMsMax. */
const busyRetryPauseMs = 2;
const busyRetryPauseMsMax = 50;

/**
 * Runs `attempt` until it does not fail busy, pausing between tries, for at
 * most sqliteBusyWaitMsMax. `attempt` must have taken no effect when it
 * failed busy: a statement in autocommit, or `BEGIN IMMEDIATE`.
 */
export async function retryWhileBusy<T>(attempt: () => T): Promise<T> {
  const deadline = Date.now() + sqliteBusyWaitMsMax;
  let pauseMs = busyRetryPauseMs;
  while (true) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(busyRetryPauseMsMax, pauseMs * 2);
  }
}

/** SQLITE_BUSY: another connection holds the lock (node:sqlite only gives the text). */
export function isBusy(error: unknown): boolean {
  return error instanceof Error && /database is locked|database is busy/.test(error.message);
}
