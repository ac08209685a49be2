import type { ProblemCode } from "@pay/lib/http";
import type { StoreMessage } from "../i18n/i18n.ts";

/**
 * An expected refusal a route raises; the app answers it as an HTML page or
 * problem+json, with `reason` in the shopper's language.
 */
export class HttpError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly reason: StoreMessage,
    readonly headers: HeadersInit = {},
  ) {
    super(`${code}: ${reason.key} ${JSON.stringify(reason.values ?? {})}`);
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
