import type { MiddlewareHandler } from "hono";
import { BodyTooLargeError, problem, problemResponse, readBodyLimited } from "@pay/lib/http";
import type { IngestEnv } from "../deps.ts";

/**
 * Reads the whole body once, refusing more than `bodySizeBytesMax` (413)
 * without buffering past the limit. The bytes are kept for signature
 * verification and JSON parsing.
 */
export function readBody(bodySizeBytesMax: number): MiddlewareHandler<IngestEnv> {
  return async (c, next) => {
    try {
      c.set("rawBody", await readBodyLimited(c.req.raw, bodySizeBytesMax));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return tooLarge(bodySizeBytesMax);
      throw error;
    }
    return next();
  };
}

function tooLarge(limit: number): Response {
  return problemResponse(problem("payload_too_large", `Request body exceeds ${limit} bytes`));
}
