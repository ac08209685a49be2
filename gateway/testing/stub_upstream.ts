import { Hono } from "hono";
import { problem, problemResponse, verifySignature } from "@pay/lib/http";

/** What a stub upstream saw of one forwarded request. */
export interface ReceivedRequest {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly merchantId: string;
  /** The mode of the merchant's key, as signed. */
  readonly mode: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

export interface StubUpstreamOptions {
  readonly secret: string;
  /** Milliseconds each payment request waits before answering (keeps requests in flight). */
  readonly delayMs?: number;
  readonly onRequest?: (request: ReceivedRequest) => void;
  /** Answers a payment request in place of the echo (e.g. ingest's 503 when MariaDB is down). */
  readonly respond?: (request: ReceivedRequest) => Response | undefined;
}

/** The signature freshness window ingest uses by default. */
const maxSkewSeconds = 30;

/**
 * A stand-in for ingest: verifies the gateway's signature (and nonce reuse)
 * exactly as ingest does with lib/http/internal_auth.ts, then echoes what it
 * received. `/ready` answers 200.
 */
export function stubUpstreamApp(options: StubUpstreamOptions): Hono {
  const app = new Hono();
  const nonces = new Set<string>();
  app.get("/ready", (c) => c.json({ status: "ready" }));
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.all("/api/*", async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const url = new URL(c.req.url);
    const verified = verifySignature(options.secret, maxSkewSeconds, {
      method: c.req.method,
      pathWithQuery: url.pathname + url.search,
      headers: c.req.raw.headers,
      body,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (!verified.ok) return problemResponse(problem("unauthorized", verified.reason));
    if (nonces.has(verified.nonce)) {
      return problemResponse(problem("unauthorized", "Replayed internal request nonce"));
    }
    nonces.add(verified.nonce);
    const received: ReceivedRequest = {
      method: c.req.method,
      pathWithQuery: url.pathname + url.search,
      merchantId: verified.merchantId,
      mode: verified.mode,
      body: new TextDecoder().decode(body),
      headers: Object.fromEntries(c.req.raw.headers),
    };
    options.onRequest?.(received);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const answer = options.respond?.(received);
    if (answer) return answer;
    const status = url.pathname === "/api/payments/authorize" ? 201 : 200;
    return c.json(received, status, { "x-upstream-port": url.port });
  });
  return app;
}

export interface StubServer {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Serves a stub upstream on an ephemeral port of 127.0.0.1. */
export function serveStubUpstream(options: Omit<StubUpstreamOptions, "onRequest">): StubServer {
  const received: ReceivedRequest[] = [];
  const app = stubUpstreamApp({ ...options, onRequest: (r) => received.push(r) });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    received,
    close: () => server.shutdown(),
  };
}
