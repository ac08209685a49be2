import type { ProblemCode } from "@pay/lib/http";

/** An expected refusal a route raises; the app answers it as an HTML page or problem+json. */
export class HttpError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly headers: HeadersInit = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Redis (or whatever holds sessions) is unreachable: the shop answers 503, not 500. */
export class StateUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StateUnavailableError";
  }
}
