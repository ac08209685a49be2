import type { MiddlewareHandler } from "hono";
import { problem, problemResponse } from "@pay/lib/http";
import type { IngestEnv } from "../deps.ts";

/**
 * Reads the whole body once, refusing more than `bodySizeBytesMax` (413)
 * without buffering past the limit. The bytes are kept for signature
 * verification and JSON parsing.
 */
export function readBody(bodySizeBytesMax: number): MiddlewareHandler<IngestEnv> {
  return async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > bodySizeBytesMax) return tooLarge(bodySizeBytesMax);
    const body = c.req.raw.body;
    if (!body) {
      c.set("rawBody", new Uint8Array());
      return next();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > bodySizeBytesMax) return tooLarge(bodySizeBytesMax);
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.set("rawBody", bytes);
    return next();
  };
}

function tooLarge(limit: number): Response {
  return problemResponse(problem("payload_too_large", `Request body exceeds ${limit} bytes`));
}
