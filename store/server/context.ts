/**
 * What a route module sees: the types of handlers, pages and the per-request
 * context, Fresh style. A route file exports `handler` (functions per HTTP
 * method) and/or a default page component rendered on the server.
 */
import type { ComponentChildren, FunctionComponent } from "preact";
import type { StoreConfig } from "@pay/lib/config";
import type { GatewayClient } from "../gateway/client.ts";
import type { SessionData, StoreState } from "../state/port.ts";
import type { IslandManifest } from "../build/manifest.ts";
import type { StoreMetrics } from "./metrics.ts";
import type { StoreI18n } from "../i18n/i18n.ts";

export interface StoreDeps {
  readonly config: StoreConfig;
  readonly state: StoreState;
  readonly gateway: GatewayClient;
  readonly islands: IslandManifest;
  /**
   * The store's webhook endpoint secret, read per request (absent: the route answers 404).
   * Registration may finish after start when the gateway was down; the platform retries meanwhile.
   */
  readonly webhookSecret?: string | (() => string | undefined);
}

/** What route handlers get: the store's dependencies plus its metrics. */
export interface RouteDeps extends StoreDeps {
  readonly metrics: StoreMetrics;
}

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  /** Loaded on first use and cached for the request. */
  data(): Promise<SessionData>;
  update<T>(change: (data: SessionData) => { data: SessionData; result: T }): Promise<T>;
}

export interface RenderInit {
  readonly title: string;
  readonly status?: number;
  readonly headers?: HeadersInit;
}

export interface RequestContext<Data = unknown> {
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly deps: RouteDeps;
  readonly session: Session;
  /** The shopper's language, with the formatters of amounts and times. */
  readonly i18n: StoreI18n;
  /** The form of a POST, already size-checked and CSRF-checked. */
  readonly form: URLSearchParams;
  /** Renders the route's page component inside the app shell. */
  render(data: Data, init: RenderInit): Promise<Response>;
}

export type Handler<Data = unknown> = (
  request: Request,
  ctx: RequestContext<Data>,
) => Response | Promise<Response>;

export interface Handlers<Data = unknown> {
  GET?: Handler<Data>;
  POST?: Handler<Data>;
}

export interface PageProps<Data = unknown> {
  readonly data: Data;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly csrfToken: string;
  readonly i18n: StoreI18n;
}

export type PageComponent<Data = unknown> = FunctionComponent<PageProps<Data>>;

export interface AppProps {
  readonly title: string;
  readonly url: URL;
  readonly cartCount: number;
  readonly stylesheet: string;
  readonly i18n: StoreI18n;
  readonly children?: ComponentChildren;
}

export interface RouteModule {
  // deno-lint-ignore no-explicit-any
  readonly handler?: Handlers<any>;
  // deno-lint-ignore no-explicit-any
  readonly default?: PageComponent<any>;
}

/** A 303 See Other: the answer to a successful form post (post/redirect/get). */
export function redirect(location: string, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("location", location);
  return new Response(null, { status: 303, headers: h });
}
