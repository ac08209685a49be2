import { z } from "zod";
import type { PaymentMode } from "../domain/mod.ts";
import { type Env, parseEnv, payEnvVar, stringVar } from "./env.ts";

/**
 * Development API key of the dev merchant, well known on purpose (README, store, load
 * generator): a test-mode secret key `sk_test_<keyId>_<secret>`, refused when
 * PAY_ENV=production.
 */
export const devApiKeyDefault = "sk_test_devm123sktest0000_devsecretdevsecretdevsecret0000";

/**
 * The dev key's default before `sk_` keys (in the former `pk_<env>_…` format). Still
 * made valid by `deno task start` outside production, for one release, so scripts and
 * k6 files that hold it keep working; the gateway logs it as deprecated.
 */
export const formerDevApiKeyDefault = "pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000";

/** A well-known development key (the default or the former one): refused in production. */
export function isDevApiKey(apiKey: string): boolean {
  return apiKey === devApiKeyDefault || apiKey === formerDevApiKeyDefault;
}

export const merchantVars = {
  DEV_MERCHANT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ -")
    .default("M123").describe("Merchant created by `deno task start` for development"),
  DEV_MERCHANT_NAME: stringVar("Development merchant", "Display name of the dev merchant"),
  DEV_API_KEY: z.string().regex(
    /^(sk_(test|live)|pk_[a-z]{2,8})_[a-z0-9]{8,24}_[A-Za-z0-9]{24,64}$/,
    "must look like sk_<test|live>_<keyId>_<secret> (or the former pk_<env>_<keyId>_<secret>)",
  ).default(devApiKeyDefault).describe("API key of the dev merchant (printed at start)"),
  PAY_ENV: payEnvVar,
};

export interface MerchantConfig {
  readonly devMerchantId: string;
  readonly devMerchantName: string;
  readonly devApiKey: string;
  /** Former dev keys `deno task start` keeps valid for one release (none in production). */
  readonly formerDevApiKeys: readonly string[];
  /** The mode of keys created here (`sk_test_…` or `sk_live_…`): live only in production. */
  readonly apiKeyEnv: PaymentMode;
}

const apiKeyEnvOf = { development: "test", test: "test", production: "live" } as const;

export function readMerchantConfig(env: Env): MerchantConfig {
  const v = parseEnv(merchantVars, env);
  const production = v.PAY_ENV === "production";
  if (production && isDevApiKey(v.DEV_API_KEY)) {
    throw new Error(
      "Invalid configuration: DEV_API_KEY: the development key is refused in production",
    );
  }
  return Object.freeze({
    devMerchantId: v.DEV_MERCHANT_ID,
    devMerchantName: v.DEV_MERCHANT_NAME,
    devApiKey: v.DEV_API_KEY,
    formerDevApiKeys: Object.freeze(
      production || v.DEV_API_KEY === formerDevApiKeyDefault ? [] : [formerDevApiKeyDefault],
    ),
    apiKeyEnv: apiKeyEnvOf[v.PAY_ENV],
  });
}
