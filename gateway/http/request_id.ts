export const requestIdHeader = "x-request-id";

/** Longest X-Request-Id propagated; longer ones are replaced (they end up in every log line). */
export const requestIdLengthMax = 128;

const requestIdPattern = new RegExp(`^[A-Za-z0-9._:-]{1,${requestIdLengthMax}}$`);

/** The caller's X-Request-Id when it is safe to log and forward, else a new UUID. */
export function requestIdOf(incoming: string | null | undefined): string {
  return incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
}
