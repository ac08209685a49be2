import http from "node:http";
import type { Upstream } from "./pool.ts";

export interface UpstreamRequest {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | null;
  readonly timeoutMs: number;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array<ArrayBuffer>;
}

/**
 * Why an upstream call failed. `connect`: no connection was made, so the
 * request certainly never reached the upstream. `reset`: the connection broke
 * before a complete response (the request may have been processed). `timeout`:
 * no complete response in time (may have been processed).
 */
export type UpstreamErrorKind = "connect" | "reset" | "timeout";

export class UpstreamError extends Error {
  constructor(readonly kind: UpstreamErrorKind, message: string) {
    super(message);
    this.name = "UpstreamError";
  }
}

export interface UpstreamClient {
  send(upstream: Upstream, request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): void;
}

/**
 * Idle keep-alive sockets kept per upstream. Enough for the concurrency one
 * gateway process sustains on this machine (see bench.ts), so steady load
 * never opens new connections.
 */
export const keepAliveSocketsMax = 256;

const connectErrorCodes = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EADDRNOTAVAIL",
]);

/**
 * The outbound client: node:http with a keep-alive agent. Measured here
 * (README, bench.ts) it proxies markedly faster than fetch(). The response is
 * read completely before it is returned, so a response is either whole or an
 * UpstreamError, which is what the retry rules need.
 */
export function createNodeHttpClient(): UpstreamClient {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: keepAliveSocketsMax });
  return {
    send: (upstream, request) => sendOnce(agent, upstream, request),
    close: () => agent.destroy(),
  };
}

function sendOnce(
  agent: http.Agent,
  upstream: Upstream,
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: UpstreamError) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(error);
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers["content-length"] = String(request.body.byteLength);
    const req = http.request({
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.pathWithQuery,
      headers,
    }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      res.on("error", (error) => fail(new UpstreamError("reset", String(error))));
      res.on("aborted", () => fail(new UpstreamError("reset", "Response aborted")));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 502, headers: headersOf(res), body: concat(chunks) });
      });
    });
    // Deno's node:http silently re-sends a request on a new connection when a
    // reused keep-alive connection breaks, even after the request was written
    // (measured; fetch() does the same). A second socket is refused here so the
    // retry rules in forward.ts alone decide whether a request is sent again.
    let sockets = 0;
    req.on("socket", () => {
      if (++sockets > 1) {
        fail(new UpstreamError("reset", "Connection lost after the request was sent"));
      }
    });
    const timer = setTimeout(
      () => fail(new UpstreamError("timeout", `No response within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    req.on("error", (error: Error & { code?: string }) => {
      clearTimeout(timer);
      const kind = connectErrorCodes.has(error.code ?? "") ? "connect" : "reset";
      fail(new UpstreamError(kind, `${error.code ?? "error"}: ${error.message}`));
    });
    req.end(request.body ?? undefined);
  });
}

function headersOf(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return new Uint8Array(chunks[0]!);
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
