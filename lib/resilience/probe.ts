/**
 * Runs a health check with a deadline: "ok" when it resolves in time,
 * otherwise the reason (its error message, or the timeout). Never throws, so
 * one hung dependency cannot hang a /ready or a diagnosis.
 */
export async function probeWithin(
  check: () => Promise<unknown>,
  timeoutMs: number,
): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`No answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
