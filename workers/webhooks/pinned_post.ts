import type { IncomingMessage, RequestOptions } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import ipaddr from "ipaddr.js";
import type { PinnedDestination } from "@pay/lib/webhooks";

/** Response bytes read at most: enough for an error page, bounded against a hostile receiver. */
export const webhookResponseBytesMax = 64 * 1024;

export interface PinnedPost {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborts the whole exchange, connection to last body byte. */
  readonly signal: AbortSignal;
  /** Trust roots instead of the default ones (tests: a local TLS receiver). */
  readonly caCerts?: readonly string[];
}

export interface PinnedResponse {
  readonly statusCode: number;
  /** The body's first `webhookResponseBytesMax` bytes, decoded. */
  readonly body: string;
}

/**
 * POSTs to the destination's pinned address and nowhere else: the connection
 * goes to `address` as a literal (no name is resolved), while the Host header
 * and, for https, the TLS server name and certificate check use the URL's host.
 * `fetch` cannot do this for https (it resolves the URL's host itself), so
 * node:http(s) does it for both schemes. Redirects are not followed.
 */
export function postPinned(
  destination: PinnedDestination,
  post: PinnedPost,
): Promise<PinnedResponse> {
  const body = new TextEncoder().encode(post.body);
  const { url, hostname, address } = destination;
  const options: RequestOptions & { servername?: string; ca?: string[] } = {
    method: "POST",
    host: address,
    port: url.port === "" ? undefined : Number(url.port),
    path: url.pathname + url.search,
    headers: { ...post.headers, host: url.host, "content-length": String(body.byteLength) },
    agent: false,
  };
  const https = url.protocol === "https:";
  if (https) {
    // SNI and the certificate check are on the name; a literal address is checked as itself.
    if (!ipaddr.isValid(hostname)) options.servername = hostname;
    if (post.caCerts) options.ca = [...post.caCerts];
  }
  return new Promise((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(options, (response) => {
      readBounded(response).then(
        (text) => resolve({ statusCode: response.statusCode ?? 0, body: text }),
        reject,
      );
    });
    const abort = () => {
      request.destroy(post.signal.reason);
      reject(post.signal.reason);
    };
    if (post.signal.aborted) return abort();
    post.signal.addEventListener("abort", abort, { once: true });
    request.on("close", () => post.signal.removeEventListener("abort", abort));
    request.on("error", reject);
    request.end(body);
  });
}

/** Reads at most `webhookResponseBytesMax` of the body, then drops the connection. */
function readBounded(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = () => {
      response.destroy();
      const bytes = new Uint8Array(Math.min(size, webhookResponseBytesMax));
      let offset = 0;
      for (const chunk of chunks) {
        const part = chunk.subarray(0, bytes.length - offset);
        bytes.set(part, offset);
        offset += part.length;
      }
      resolve(new TextDecoder().decode(bytes));
    };
    response.on("data", (chunk: Uint8Array) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= webhookResponseBytesMax) finish();
    });
    response.on("end", finish);
    response.on("error", reject);
  });
}
