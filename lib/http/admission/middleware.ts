import type { Context, MiddlewareHandler } from "hono";
import { problem, problemContentType, unavailableRetryAfterSeconds } from "../problem.ts";
import type { AdmissionController, AdmissionOutcome } from "./controller.ts";

/** Paths admission never sheds: probes and scrapes must see an overloaded service as it is. */
export const admissionExemptPaths: readonly string[] = ["/health", "/ready", "/metrics"];

export interface AdmissionMiddlewareOptions {
  /** Paths let through without a slot (default: admissionExemptPaths). */
  readonly exemptPaths?: readonly string[];
  /**
   * How an admitted request's answer counts for the limit (default:
   * defaultAdmissionOutcome). A caller that learns a downstream refused for
   * overload says "dropped".
   */
  readonly outcomeOf?: (c: Context) => AdmissionOutcome;
}

const shedBody = JSON.stringify(problem(
  "overloaded",
  `The service is at its concurrency limit; retry after ${unavailableRetryAfterSeconds} s`,
));

/** The answer to a shed request: built from constants, no I/O. */
export function overloadedResponse(): Response {
  return new Response(shedBody, {
    status: 503,
    headers: {
      "content-type": problemContentType,
      "retry-after": String(unavailableRetryAfterSeconds),
    },
  });
}

/**
 * Admission control as the first middleware: a request either takes a slot
 * (possibly after a short bounded wait) or is refused with 503 + Retry-After
 * before anything else runs (no body read, no key lookup, no database).
 */
export function admissionMiddleware(
  controller: AdmissionController,
  options: AdmissionMiddlewareOptions = {},
): MiddlewareHandler {
  const exempt = new Set(options.exemptPaths ?? admissionExemptPaths);
  const outcomeOf = options.outcomeOf ?? defaultAdmissionOutcome;
  return async (c, next) => {
    if (exempt.has(c.req.path)) return await next();
    let ticket = controller.admit();
    if (ticket instanceof Promise) ticket = await ticket;
    if (ticket === null) return overloadedResponse();
    let outcome: AdmissionOutcome = "ignored";
    try {
      await next();
      outcome = outcomeOf(c);
    } finally {
      controller.release(ticket, outcome);
    }
  };
}

/** A 5xx is ignored (a failure's latency says nothing of capacity); any other answer is a sample. */
export function defaultAdmissionOutcome(c: Context): AdmissionOutcome {
  return c.res.status < 500 ? "ok" : "ignored";
}
