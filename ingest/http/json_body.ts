import { ValidationError } from "@pay/lib/domain";
import { problem, ProblemError } from "@pay/lib/http";

/**
 * The request body as a JSON object: `{}` when empty, 400 when it is not
 * JSON or not an object, 415 when it is not declared as JSON.
 */
export function jsonObjectBody(
  raw: Uint8Array,
  contentType: string | undefined,
): Record<string, unknown> {
  if (raw.byteLength === 0) return {};
  if (!contentType || !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new ProblemError(
      problem(
        "unsupported_media_type",
        `Content-Type must be application/json: ${contentType ?? "none"}`,
      ),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (error) {
    throw new ValidationError(`body: is not valid JSON: ${(error as Error).message}`, "body");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("body: must be a JSON object", "body");
  }
  return value as Record<string, unknown>;
}
