import { z } from "zod";
import {
  boolVar,
  ConfigError,
  durationVar,
  type Env,
  intVar,
  parseEnv,
  payEnvVar,
  urlVar,
} from "./env.ts";
import { devApiKeyDefault, isDevApiKey } from "./merchant.ts";
import { type Profile, readProfileConfig } from "./profile.ts";
import { readDisplayConfig } from "./display.ts";

/** Development default, refused when PAY_ENV=production. */
export const devStoreSessionSecret = "dev-store-session-secret-change-me-0123456789";

export const storeVars = {
  STORE_PORT: intVar(8000, 0, 65535, "Port of the storefront (0 picks a free port)"),
  STORE_HOSTNAME: z.string().min(1).default("127.0.0.1").describe(
    "Interface the storefront listens on",
  ),
  GATEWAY_URL: urlVar("http://127.0.0.1:8080", "Base URL of the payment gateway's public API"),
  STORE_API_KEY: z.string().min(1).default(devApiKeyDefault).describe(
    "Merchant API key the store's server sends to the gateway (never sent to browsers)",
  ),
  STORE_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").default(
    devStoreSessionSecret,
  ).describe("HMAC secret that signs session cookies and derives CSRF tokens"),
  STORE_SESSION_TTL: durationVar("7d", "How long an idle cart session is kept"),
  STORE_STATE_BACKEND: z.enum(["redis", "sqlite", "memory"]).optional().describe(
    "Where carts and orders live: redis (shared by every store process; the scale-out default), sqlite (a file under DATA_DIR for one store process; the embedded default) or memory (one process, lost on restart)",
  ),
  STORE_COOKIE_SECURE: boolVar(false, "Mark the session cookie Secure (set true behind HTTPS)"),
  STORE_GATEWAY_TIMEOUT_MS: intVar(
    15000,
    100,
    120000,
    "Timeout of one gateway call (above the gateway's own upstream timeout)",
  ),
  STORE_STATUS_POLL_MS: intVar(
    1000,
    100,
    60000,
    "How often the order page's event stream polls the gateway for the payment",
  ),
  STORE_WEBHOOK_URL: z.url().optional().describe(
    "Public URL of the store's webhook route (…/webhooks/payments); when set, the store registers it with the gateway at start (reusing an endpoint with that URL) and moves orders from verified deliveries",
  ),
  STORE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, "must be a whsec_… secret")
    .optional().describe(
      "Signing secret of the store's webhook endpoint, from your secret store; unset, the store keeps the secret the gateway returned in its state store",
    ),
  PAY_ENV: payEnvVar,
};

export type StoreStateBackend = "redis" | "sqlite" | "memory";

/** Carts and orders by profile: Redis shared by every store process, or a file for the one process. */
export const storeStateBackendDefaults: Readonly<Record<Profile, StoreStateBackend>> = {
  "scale-out": "redis",
  embedded: "sqlite",
};

export interface StoreConfig {
  readonly port: number;
  readonly hostname: string;
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly sessionSecret: string;
  readonly sessionTtlMs: number;
  readonly stateBackend: StoreStateBackend;
  readonly cookieSecure: boolean;
  readonly gatewayTimeoutMs: number;
  readonly statusPollMs: number;
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  /** DISPLAY_TIME_ZONE: the zone of every time a shopper reads. */
  readonly timeZone: string;
}

export function readStoreConfig(env: Env): StoreConfig {
  const v = parseEnv(storeVars, env);
  const { profile } = readProfileConfig(env);
  const stateBackend = v.STORE_STATE_BACKEND ?? storeStateBackendDefaults[profile];
  if (profile === "embedded" && stateBackend === "redis") {
    throw new ConfigError([
      `STORE_STATE_BACKEND: redis needs PROFILE=scale-out; the embedded profile opens no Redis connection (got "redis")`,
    ]);
  }
  if (v.PAY_ENV === "production") {
    const refused = [
      v.STORE_SESSION_SECRET === devStoreSessionSecret ? "STORE_SESSION_SECRET" : undefined,
      isDevApiKey(v.STORE_API_KEY) ? "STORE_API_KEY" : undefined,
    ].filter((name) => name !== undefined);
    if (refused.length > 0) {
      throw new Error(
        `Invalid configuration: ${
          refused.join(", ")
        }: the development value is refused in production`,
      );
    }
  }
  return Object.freeze({
    port: v.STORE_PORT,
    hostname: v.STORE_HOSTNAME,
    gatewayUrl: v.GATEWAY_URL.replace(/\/+$/, ""),
    apiKey: v.STORE_API_KEY,
    sessionSecret: v.STORE_SESSION_SECRET,
    sessionTtlMs: v.STORE_SESSION_TTL,
    stateBackend,
    cookieSecure: v.STORE_COOKIE_SECURE,
    gatewayTimeoutMs: v.STORE_GATEWAY_TIMEOUT_MS,
    statusPollMs: v.STORE_STATUS_POLL_MS,
    timeZone: readDisplayConfig(env).timeZone,
    ...(v.STORE_WEBHOOK_URL === undefined ? {} : { webhookUrl: v.STORE_WEBHOOK_URL }),
    ...(v.STORE_WEBHOOK_SECRET === undefined ? {} : { webhookSecret: v.STORE_WEBHOOK_SECRET }),
  });
}
