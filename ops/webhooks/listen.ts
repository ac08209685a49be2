import { Webhook } from "standardwebhooks";
import { devApiKeyDefault, type Env } from "@pay/lib/config";

/**
 * `deno task webhooks:listen`: a local receiver for a merchant's webhooks,
 * like `stripe listen`. It serves on 127.0.0.1 (a free port), registers
 * itself as an endpoint through the gateway's public API, prints every
 * delivery with whether its signature verifies against the secret the
 * registration returned, optionally forwards it (body and webhook headers)
 * to another URL, and deletes the endpoint when closed.
 */
export interface ListenOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Event types to subscribe to; `["*"]` for all. */
  readonly events: readonly string[];
  /** Where to forward each delivery; its answer becomes the receiver's answer. */
  readonly forward?: string;
  readonly out: (line: string) => void;
  readonly fetch?: typeof fetch;
}

export interface Listener {
  readonly endpointId: string;
  readonly url: string;
  readonly secret: string;
  /** Deletes the endpoint (best effort, reported) and stops the receiver. */
  close(): Promise<void>;
}

/** One delivery as the listener saw it. */
export interface ReceivedDelivery {
  readonly id: string | null;
  readonly type: string | null;
  readonly verified: boolean;
  /** Why verification failed; null when it passed. */
  readonly reason: string | null;
  /** The forward target's status, or null when not forwarding (or it was unreachable). */
  readonly forwardStatus: number | null;
}

/** Headers a forward carries over (the rest belong to this hop). */
const forwardedHeaders = ["content-type", "webhook-id", "webhook-timestamp", "webhook-signature"];

/** Error text shown per failed forward at most. */
const forwardErrorCharsMax = 200;

export class ListenApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ListenApiError";
  }
}

/** The gateway without `deno task start`'s runtime file, `--api` or GATEWAY_URL. */
export const listenApiUrlDefault = "http://127.0.0.1:8080";

/** Where the listener registers, and with which key: `--api`, then the environment, then defaults. */
export function listenTarget(
  flags: Readonly<Record<string, string | undefined>>,
  env: Env,
): { apiUrl: string; apiKey: string } {
  return {
    apiUrl: flags.api || env.GATEWAY_URL || listenApiUrlDefault,
    apiKey: env.DEV_API_KEY || devApiKeyDefault,
  };
}

export async function startListener(options: ListenOptions): Promise<Listener> {
  const doFetch = options.fetch ?? fetch;
  let secret: string | null = null;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.text();
      const received = await receive(body, request.headers, secret, options, doFetch);
      options.out(describe(received));
      if (received.forwardStatus !== null) {
        return new Response(null, { status: received.forwardStatus });
      }
      if (options.forward !== undefined) return new Response(null, { status: 502 });
      return new Response(null, { status: received.verified ? 204 : 400 });
    },
  );
  const url = `http://127.0.0.1:${server.addr.port}/webhooks`;
  const headers = { authorization: `Bearer ${options.apiKey}` };
  const endpoints = `${options.apiUrl.replace(/\/$/, "")}/api/webhook-endpoints`;
  let registered: { id: string; secret: string };
  try {
    const response = await doFetch(endpoints, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        "idempotency-key": `listen-${crypto.randomUUID()}`,
      },
      body: JSON.stringify({
        url,
        events: options.events,
        description: "deno task webhooks:listen (temporary)",
      }),
    });
    const text = await response.text();
    if (response.status !== 201) {
      throw new ListenApiError(
        response.status,
        `Registering the endpoint failed: HTTP ${response.status} ${text.slice(0, 500)}`,
      );
    }
    registered = JSON.parse(text);
  } catch (error) {
    await server.shutdown();
    throw error;
  }
  secret = registered.secret;
  options.out(`Ready. Endpoint ${registered.id} -> ${url}`);
  options.out(`Signing secret: ${registered.secret}`);
  if (options.forward) options.out(`Forwarding deliveries to ${options.forward}`);
  return {
    endpointId: registered.id,
    url,
    secret: registered.secret,
    async close() {
      try {
        const response = await doFetch(`${endpoints}/${registered.id}`, {
          method: "DELETE",
          headers,
        });
        await response.body?.cancel();
        options.out(
          response.ok
            ? `Deleted endpoint ${registered.id}`
            : `Deleting endpoint ${registered.id} failed: HTTP ${response.status}`,
        );
      } catch (error) {
        options.out(`Deleting endpoint ${registered.id} failed: ${(error as Error).message}`);
      } finally {
        await server.shutdown();
      }
    },
  };
}

async function receive(
  body: string,
  headers: Headers,
  secret: string | null,
  options: ListenOptions,
  doFetch: typeof fetch,
): Promise<ReceivedDelivery> {
  let type: string | null = null;
  try {
    const parsed = JSON.parse(body);
    type = typeof parsed?.type === "string" ? parsed.type : null;
  } catch {
    type = null;
  }
  let reason: string | null = null;
  if (secret === null) {
    reason = "not registered yet";
  } else {
    try {
      new Webhook(secret).verify(body, Object.fromEntries(headers));
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  let forwardStatus: number | null = null;
  if (options.forward !== undefined) {
    const forward: Record<string, string> = {};
    for (const name of forwardedHeaders) {
      const value = headers.get(name);
      if (value !== null) forward[name] = value;
    }
    try {
      const response = await doFetch(options.forward, {
        method: "POST",
        headers: forward,
        body,
        redirect: "manual",
      });
      await response.body?.cancel();
      forwardStatus = response.status;
    } catch (error) {
      options.out(
        `  forward to ${options.forward} failed: ${
          (error as Error).message.slice(0, forwardErrorCharsMax)
        }`,
      );
    }
  }
  return {
    id: headers.get("webhook-id"),
    type,
    verified: reason === null,
    reason,
    forwardStatus,
  };
}

/** One line per delivery: time, type, event id, verification, forward status. */
export function describe(d: ReceivedDelivery): string {
  const verification = d.verified ? "signature verified" : `signature INVALID (${d.reason})`;
  const forward = d.forwardStatus === null ? "" : ` -> forwarded [${d.forwardStatus}]`;
  return `${new Date().toISOString()}  ${d.type ?? "?"}  ${
    d.id ?? "(no webhook-id)"
  }  ${verification}${forward}`;
}
