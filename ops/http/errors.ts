import { ZodError } from "zod";
import { DomainError } from "@pay/lib/domain";
import { type Problem, problem, ProblemError, problemFromDomainError } from "@pay/lib/http";

/** Driver error codes that mean MariaDB or Redis could not be reached: 503, not 500. */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "ER_CON_COUNT_ERROR",
]);

function isUnreachable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; name?: string };
  if (e?.code && unreachableCodes.has(e.code)) return true;
  const message = e?.message ?? "";
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|is not reachable/
    .test(message);
}

/** The first problem of a zod error, naming the input field. */
export function problemOfZodError(error: ZodError): Problem {
  const issue = error.issues[0];
  const param = issue?.path.length ? issue.path.map(String).join(".") : undefined;
  const detail = issue
    ? `${param ?? "input"}: ${
      issue.code === "unrecognized_keys"
        ? `unknown field(s) ${(issue as { keys: string[] }).keys.join(", ")}`
        : issue.message
    }`
    : "Invalid input";
  return problem("validation_error", detail, param ? { param } : {});
}

/**
 * Maps what an operation threw to problem+json: bad input 400, domain errors
 * by their code, unreachable dependencies 503, anything else 500 (logged).
 */
export function problemOfError(error: unknown, log: (line: string) => void): Problem {
  if (error instanceof ZodError) return problemOfZodError(error);
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof DomainError) return problemFromDomainError(error);
  if (isUnreachable(error)) {
    // The driver's text names hosts and users: it goes to the log, not into the answer.
    log(JSON.stringify({
      time: new Date().toISOString(),
      area: "ops",
      event: "dependency_unreachable",
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }));
    return problem("upstream_unavailable", "A dependency is unreachable; retry shortly");
  }
  log(JSON.stringify({
    time: new Date().toISOString(),
    area: "ops",
    event: "operation_failed",
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  }));
  return problem("internal_error", "The operation failed; see the ops service log");
}
