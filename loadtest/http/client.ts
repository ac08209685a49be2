import { Buffer } from "node:buffer";
import http from "node:http";

/**
 * The generator's HTTP client: node:http with a keep-alive agent, which costs
 * less CPU per request than fetch() in Deno here (lib/pg/http_client.ts,
 * gateway/README.md), so the generator takes less of the cores it shares
 * with the system under test.
 */
export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type LoadAnswer =
  | {
    readonly kind: "response";
    readonly status: number;
    readonly body: string;
  }
  /** No (complete) answer: `code` is the socket error code or `timeout`. */
  | { readonly kind: "error"; readonly code: string };

export interface LoadHttpClient {
  send(request: LoadRequest): Promise<LoadAnswer>;
  close(): void;
}

export interface LoadHttpClientOptions {
  /** `http://127.0.0.1:8080`; checked by the caller (localhost guard). */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Sockets open at once; requests beyond wait in the agent's queue. */
  readonly socketsMax: number;
}

/** Longest answer read; the API's answers are well under 1 KB, so more is a broken peer. */
export const answerCharsMax = 1_048_576;

export function createLoadHttpClient(
  options: LoadHttpClientOptions,
): LoadHttpClient {
  const url = new URL(options.baseUrl);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.socketsMax,
    maxFreeSockets: options.socketsMax,
  });
  const port = Number(url.port || 80);
  const basePath = url.pathname.replace(/\/$/, "");
  return {
    send: (request) =>
      sendOnce(
        agent,
        url.hostname,
        port,
        basePath + request.path,
        request,
        options.timeoutMs,
      ),
    close: () => agent.destroy(),
  };
}

function sendOnce(
  agent: http.Agent,
  hostname: string,
  port: number,
  path: string,
  request: LoadRequest,
  timeoutMs: number,
): Promise<LoadAnswer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: LoadAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(request.body));
    }
    const req = http.request(
      {
        agent,
        host: hostname.replace(/^\[|\]$/g, ""),
        port,
        method: request.method,
        path,
        headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
          if (body.length > answerCharsMax) {
            req.destroy();
            finish({ kind: "error", code: "answer_too_large" });
          }
        });
        res.on("error", (error: Error & { code?: string }) => {
          finish({ kind: "error", code: error.code ?? "reset" });
        });
        res.on(
          "end",
          () => finish({ kind: "response", status: res.statusCode ?? 0, body }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ kind: "error", code: "timeout" });
    }, timeoutMs);
    req.on("error", (error: Error & { code?: string }) => {
      finish({ kind: "error", code: error.code ?? "error" });
    });
    req.end(request.body);
  });
}
