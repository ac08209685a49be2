/**
 * The PG answered something the contract does not allow for this call (a 400,
 * an unknown status, a body that is not the documented JSON). A bug on one
 * side, not an outcome: never retried, never mapped to a decline.
 */
export class PgProtocolError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "PgProtocolError";
  }
}
