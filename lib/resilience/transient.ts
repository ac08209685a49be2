import { DependencyUnavailableError, PgUnavailableError } from "../domain/mod.ts";

/**
 * Error codes of drivers (mysql2, Node and Deno sockets, opossum) that mean a
 * dependency is unreachable, restarting or momentarily overloaded: repeating
 * the same work later can succeed, so the work must be kept, never discarded.
 */
const transientCodes: ReadonlySet<string> = new Set([
  // Sockets (Node-compatible codes, used by mysql2 and ioredis)
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // mysql2 client
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR",
  "POOL_CONNECTION_TIMEOUT",
  // MariaDB server
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_QUERY_INTERRUPTED",
  "ER_CONNECTION_KILLED",
  "ER_CLIENT_INTERACTION_TIMEOUT",
  "ER_OPTION_PREVENTS_STATEMENT",
  // Refused credentials or database: unusable until an operator fixes the
  // configuration, but the work itself is sound and must be kept
  "ER_ACCESS_DENIED_ERROR",
  "ER_DBACCESS_DENIED_ERROR",
  // opossum: breaker open, or its call timeout
  "EOPENBREAKER",
]);

/** MariaDB errnos: cannot connect, server gone away, lost connection, shutdown, access denied. */
const transientErrnos: ReadonlySet<number> = new Set([
  2002,
  2003,
  2006,
  2013,
  1927,
  1053,
  1044,
  1045,
]);

/** Error names of Deno sockets, ioredis and kafkajs for the same conditions. */
const transientNames: ReadonlySet<string> = new Set([
  "ConnectionRefused",
  "ConnectionReset",
  "ConnectionAborted",
  "TimedOut",
  "BrokenPipe",
  "NotConnected",
  "TimeoutError",
  "MaxRetriesPerRequestError",
  "KafkaJSConnectionError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSConnectionClosedError",
]);

/**
 * Messages of drivers that throw plain Errors (no code) for a lost
 * connection: ioredis ("Connection is closed."), mysql2 on a closed
 * connection, Redis replies while it restarts (LOADING, READONLY, ...).
 */
const transientMessage =
  /^(Connection is closed|Can't add new command when connection is in closed state|Stream isn't writeable|LOADING |READONLY |BUSY |TRYAGAIN|CLUSTERDOWN|MASTERDOWN|NOAUTH |WRONGPASS |Pool is closed|No connections available|Queue limit reached|database is locked|database table is locked)/i;

/** How many `cause` links are followed before giving up (cycles are possible). */
const causeDepthMax = 8;

/**
 * True when `error` means a dependency is unavailable (connection refused or
 * reset, timeout, pool exhausted, deadlock, PG unreachable): the work failed
 * for now and must be retried, not dead-lettered or answered with a 500.
 * Anything else (malformed input, an invariant, a bug) is permanent.
 */
export function isTransientFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < causeDepthMax && current != null; depth++) {
    if (isTransientHere(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function isTransientHere(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError || error instanceof PgUnavailableError) {
    return true;
  }
  if (typeof error !== "object") return false;
  const { code, errno, name, message, retriable } = error as {
    code?: unknown;
    errno?: unknown;
    name?: unknown;
    message?: unknown;
    retriable?: unknown;
  };
  if (typeof code === "string" && transientCodes.has(code)) return true;
  if (typeof errno === "number" && transientErrnos.has(errno)) return true;
  if (typeof name === "string" && transientNames.has(name)) return true;
  if (retriable === true) return true;
  return typeof message === "string" && transientMessage.test(message);
}

/**
 * Wraps a transient driver error into a DependencyUnavailableError naming the
 * dependency; anything else is returned unchanged. Adapters call it so that
 * callers see a domain error and never the driver's text.
 */
export function asDependencyError(dependency: string, error: unknown): unknown {
  if (error instanceof DependencyUnavailableError || !isTransientFailure(error)) return error;
  return new DependencyUnavailableError(
    dependency,
    `${dependency} unavailable: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
