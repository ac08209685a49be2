/**
 * Registers the store's webhook endpoint with the gateway at start, the way a
 * merchant's integration would: list the endpoints first and reuse the one
 * with this URL (never a duplicate), create it otherwise, and keep the secret
 * the create answer shows once. The secret comes from, in order: the operator
 * (STORE_WEBHOOK_SECRET, from a secret store), the store's state (kept at an
 * earlier start), or the gateway (created now, or rotated when an endpoint
 * with this URL exists but its secret was lost).
 */
import { z } from "zod";
import type { StoreState } from "../state/port.ts";

export const webhookSecretKey = (url: string) => `webhook-secret:${url}`;

/** The secret outlives any order; a rotation or a new URL replaces it. */
export const webhookSecretTtlMs = 10 * 365 * 86_400_000;

const endpointSchema = z.object({
  id: z.string().min(1),
  url: z.string(),
  status: z.string().optional(),
  secret: z.string().optional(),
});
const endpointListSchema = z.object({ data: z.array(endpointSchema) });

export interface WebhookRegistrationOptions {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly webhookUrl: string;
  readonly operatorSecret?: string;
  readonly state: StoreState;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface WebhookRegistration {
  readonly endpointId: string;
  readonly secret: string;
  /** created: a new endpoint; reused: one with this URL existed. */
  readonly outcome: "created" | "reused";
}

export class WebhookRegistrationError extends Error {
  override readonly name = "WebhookRegistrationError";
}

export async function registerWebhookEndpoint(
  options: WebhookRegistrationOptions,
): Promise<WebhookRegistration> {
  const doFetch = options.fetch ?? fetch;
  const base = `${options.gatewayUrl}/api/webhook-endpoints`;

  async function call(method: string, url: string, body?: unknown): Promise<unknown> {
    const headers = new Headers({ authorization: `Bearer ${options.apiKey}` });
    if (body !== undefined) {
      headers.set("content-type", "application/json");
      // One key per URL and call: a retried start replays the answer, secret included.
      const what = url === base ? "create" : "rotate";
      headers.set(
        "idempotency-key",
        `store-webhook-${what}-${await sha256Hex(options.webhookUrl)}`,
      );
    }
    const response = await doFetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new WebhookRegistrationError(
        `${method} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  }

  const listed = endpointListSchema.parse(await call("GET", base));
  const existing = listed.data.find((endpoint) => endpoint.url === options.webhookUrl);
  if (existing) {
    const secret = options.operatorSecret ??
      await options.state.readValue(webhookSecretKey(options.webhookUrl)) ??
      endpointSchema.parse(
        await call("POST", `${base}/${encodeURIComponent(existing.id)}/rotate-secret`, {}),
      ).secret;
    if (!secret) throw new WebhookRegistrationError("rotate-secret answered no secret");
    if (!options.operatorSecret) await keep(secret);
    return { endpointId: existing.id, secret, outcome: "reused" };
  }
  const created = endpointSchema.parse(await call("POST", base, { url: options.webhookUrl }));
  if (!created.secret) throw new WebhookRegistrationError("The create answer had no secret");
  // A new endpoint signs with the secret it was created with, whatever the operator set.
  await keep(created.secret);
  return { endpointId: created.id, secret: created.secret, outcome: "created" };

  async function keep(secret: string): Promise<void> {
    await options.state.writeValue(
      webhookSecretKey(options.webhookUrl),
      secret,
      webhookSecretTtlMs,
    );
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
