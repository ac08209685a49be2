/**
 * The storefront wired for tests: the real app, a fake gateway, memory state
 * (or a given one), and a tiny cookie-keeping client that talks to the
 * handler in-process, like a browser without JavaScript would.
 */
import { readStoreConfig, type StoreConfig } from "@pay/lib/config";
import { listIslands } from "../build/build_islands.ts";
import type { IslandManifest } from "../build/manifest.ts";
import { createGatewayClient } from "../gateway/client.ts";
import type { StoreHandler } from "../server/app.ts";
import { createStoreApp, storeDir } from "../server/create_store.ts";
import { sessionCookieName } from "../server/session_cookie.ts";
import { createMemoryState } from "../state/memory.ts";
import type { StoreState } from "../state/port.ts";
import { type FakeGateway, type FakeGatewayOptions, startFakeGateway } from "./fake_gateway.ts";

export const testApiKey = "pk_test_storetests0000_storetestsecret000000000000";

export interface StoreHarness {
  readonly handler: StoreHandler;
  readonly fake: FakeGateway;
  readonly config: StoreConfig;
  readonly state: StoreState;
  close(): Promise<void>;
}

/** A manifest naming every island with placeholder URLs: enough for in-process page tests. */
export async function stubManifest(): Promise<IslandManifest> {
  const islands: Record<string, { entry: string; imports: string[] }> = {};
  for (const name of await listIslands(storeDir)) {
    islands[name] = {
      entry: `/static/build/${name}-stub.js`,
      imports: ["/static/build/chunk-stub.js"],
    };
  }
  return { islands, sizes: {}, inputs: {} };
}

export interface HarnessOptions {
  readonly settle?: FakeGatewayOptions["settle"];
  readonly manifest?: IslandManifest;
  readonly state?: StoreState;
  readonly env?: Record<string, string>;
  /** Serves the webhook route with this endpoint secret. */
  readonly webhookSecret?: string;
}

export async function startStoreHarness(options: HarnessOptions = {}): Promise<StoreHarness> {
  const fake = startFakeGateway({ apiKey: testApiKey, settle: options.settle ?? "manual" });
  const config = readStoreConfig({
    GATEWAY_URL: fake.url,
    STORE_API_KEY: testApiKey,
    STORE_STATE_BACKEND: "memory",
    STORE_STATUS_POLL_MS: "100",
    ...options.env,
  });
  const state = options.state ?? createMemoryState(config.sessionTtlMs);
  const gateway = createGatewayClient({
    baseUrl: config.gatewayUrl,
    apiKey: config.apiKey,
    timeoutMs: config.gatewayTimeoutMs,
  });
  const handler = await createStoreApp({
    config,
    state,
    gateway,
    islands: options.manifest ?? await stubManifest(),
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
  });
  return {
    handler,
    fake,
    config,
    state,
    async close() {
      await fake.close();
      await state.close();
    },
  };
}

/** A shopper without JavaScript: keeps the session cookie and posts forms. */
export class Shopper {
  cookie: string | undefined;

  constructor(
    private readonly handler: StoreHandler,
    private readonly origin = "http://store.test",
  ) {}

  async get(path: string, headers: HeadersInit = {}): Promise<Response> {
    return await this.send(new Request(this.origin + path, { headers: this.headers(headers) }));
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const headers = this.headers({ "content-type": "application/x-www-form-urlencoded" });
    const body = new URLSearchParams(fields).toString();
    return await this.send(new Request(this.origin + path, { method: "POST", headers, body }));
  }

  /** GETs `path` and returns its HTML and the CSRF token of its forms. */
  async page(path: string): Promise<{ response: Response; html: string; csrf: string }> {
    const response = await this.get(path);
    const html = await response.text();
    return { response, html, csrf: fieldValue(html, "_csrf") ?? "" };
  }

  private headers(extra: HeadersInit): Headers {
    const headers = new Headers(extra);
    if (!headers.has("accept")) headers.set("accept", "text/html");
    if (this.cookie) headers.set("cookie", `${sessionCookieName}=${this.cookie}`);
    return headers;
  }

  private async send(request: Request): Promise<Response> {
    const response = await this.handler(request);
    const setCookie = response.headers.get("set-cookie");
    const match = setCookie && new RegExp(`${sessionCookieName}=([^;]+)`).exec(setCookie);
    if (match) this.cookie = match[1];
    return response;
  }
}

/** The value of the first input named `name` in `html`. */
export function fieldValue(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}"[^>]*?value="([^"]*)"`).exec(html) ??
    new RegExp(`value="([^"]*)"[^>]*?name="${name}"`).exec(html);
  return match?.[1]?.replaceAll("&amp;", "&");
}

/** Every `<script>` in a page. */
export function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

/** Polls `condition` until it holds; fails after `timeoutMs` with `what` in the message. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Puts items in the cart and opens the checkout; returns its CSRF token and attempt key. */
export async function openCheckout(
  shopper: Shopper,
  items: readonly { slug: string; colour: string; quantity: number }[] = [
    { slug: "iphone-16-pro", colour: "black-titanium", quantity: 1 },
  ],
): Promise<{ csrf: string; attempt: string; html: string }> {
  const { csrf } = await shopper.page("/products/iphone-16-pro");
  for (const item of items) {
    const added = await shopper.post("/cart/add", {
      _csrf: csrf,
      slug: item.slug,
      colour: item.colour,
      quantity: String(item.quantity),
    });
    if (added.status !== 303) throw new Error(`Adding to the cart failed: ${added.status}`);
  }
  const { html } = await shopper.page("/checkout");
  return { csrf, attempt: fieldValue(html, "attempt") ?? "", html };
}

/** The email test shoppers give at checkout. */
export const shopperEmail = "jiwoo@example.kr";

/** Opens a checkout and pays it; returns the order page path the store redirected to. */
export async function placeOrder(shopper: Shopper, card = "tok_visa"): Promise<string> {
  const { csrf, attempt } = await openCheckout(shopper);
  const paid = await shopper.post("/checkout", { _csrf: csrf, attempt, card, email: shopperEmail });
  const location = paid.headers.get("location");
  if (paid.status !== 303 || !location) {
    throw new Error(`Checkout did not redirect: ${paid.status}`);
  }
  return location;
}
