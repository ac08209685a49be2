import { z } from "zod";
import { type Env, parseEnv, payEnvVar, stringVar } from "./env.ts";

/**
 * Development API key of the dev merchant, well known on purpose (README, store, load
 * generator). It matches the gateway's key format `pk_<env>_<keyId>_<secret>` and is
 * refused when PAY_ENV=production.
 */
export const devApiKeyDefault = "pk_dev_devm123key0000000_devsecretdevsecretdevsecret0000";

export const merchantVars = {
  DEV_MERCHANT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ -")
    .default("M123").describe("Merchant created by `deno task start` for development"),
  DEV_MERCHANT_NAME: stringVar("Development merchant", "Display name of the dev merchant"),
  DEV_API_KEY: z.string().regex(
    /^pk_[a-z]{2,8}_[a-z0-9]{8,24}_[A-Za-z0-9]{24,64}$/,
    "must look like pk_<env>_<keyId>_<secret>",
  ).default(devApiKeyDefault).describe("API key of the dev merchant (printed at start)"),
  PAY_ENV: payEnvVar,
};

export interface MerchantConfig {
  readonly devMerchantId: string;
  readonly devMerchantName: string;
  readonly devApiKey: string;
  /** `dev`, `test` or `live`: the `<env>` part of keys created here. */
  readonly apiKeyEnv: string;
}

const apiKeyEnvOf = { development: "dev", test: "test", production: "live" } as const;

export function readMerchantConfig(env: Env): MerchantConfig {
  const v = parseEnv(merchantVars, env);
  if (v.PAY_ENV === "production" && v.DEV_API_KEY === devApiKeyDefault) {
    throw new Error(
      "Invalid configuration: DEV_API_KEY: the development key is refused in production",
    );
  }
  return Object.freeze({
    devMerchantId: v.DEV_MERCHANT_ID,
    devMerchantName: v.DEV_MERCHANT_NAME,
    devApiKey: v.DEV_API_KEY,
    apiKeyEnv: apiKeyEnvOf[v.PAY_ENV],
  });
}
