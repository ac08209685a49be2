/**
 * Guards every wait in bus and worker tests: a broken adapter fails the test
 * with a message instead of hanging it. Generous, because the test machine is
 * shared and slow under load; a passing run never waits this long.
 */
export const conditionTimeoutMs = 60_000;

/** How often a condition is re-checked. */
const pollIntervalMs = 5;

/** Resolves once `condition` holds; rejects naming `what` after conditionTimeoutMs. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = Date.now() + conditionTimeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/** Resolves as `promise` does; rejects naming `what` after conditionTimeoutMs, so a hung call fails. */
export async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out waiting for: ${what}`)),
          conditionTimeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
