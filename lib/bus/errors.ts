/**
 * A message that can never be handled (not JSON, not an envelope, an unknown
 * topic). Handlers throw it to skip retries: the message goes straight to
 * `payment.dlq`.
 */
export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedMessageError";
  }
}

/** Failures that retrying cannot fix: malformed input. Everything else is retried. */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof MalformedMessageError || error instanceof SyntaxError;
}
