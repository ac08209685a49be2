/** The body is larger than the limit (answer 413). */
export class BodyTooLargeError extends Error {
  constructor(readonly bodySizeBytesMax: number) {
    super(`Request body larger than ${bodySizeBytesMax} bytes`);
    this.name = "BodyTooLargeError";
  }
}

const empty = new Uint8Array(0);

/**
 * Reads a request body whole, refusing more than `bodySizeBytesMax` bytes: by
 * Content-Length before reading, and by counting while reading (chunked bodies
 * have no length). The bytes are returned untouched, to be forwarded as sent.
 */
export async function readBodyLimited(
  request: Request,
  bodySizeBytesMax: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > bodySizeBytesMax) throw new BodyTooLargeError(bodySizeBytesMax);
  if (!request.body) return empty;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body) {
    total += chunk.byteLength;
    if (total > bodySizeBytesMax) throw new BodyTooLargeError(bodySizeBytesMax);
    chunks.push(chunk);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
