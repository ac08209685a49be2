import { z } from "zod";
import { type Env, intVar, parseEnv, payEnvVar } from "./env.ts";

/** Development default, refused when PAY_ENV=production. */
export const devInternalSecret = "dev-internal-secret-change-me-0123456789";

export const internalAuthVars = {
  INTERNAL_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").default(
    devInternalSecret,
  ).describe("Shared HMAC secret the gateway signs forwarded requests with"),
  INTERNAL_AUTH_MAX_SKEW_SECONDS: intVar(
    30,
    1,
    300,
    "How old (or how far in the future) a signed request may be",
  ),
  PAY_ENV: payEnvVar,
};

export interface InternalAuthConfig {
  readonly secret: string;
  readonly maxSkewSeconds: number;
}

export function readInternalAuthConfig(env: Env): InternalAuthConfig {
  const v = parseEnv(internalAuthVars, env);
  if (v.PAY_ENV === "production" && v.INTERNAL_AUTH_SECRET === devInternalSecret) {
    throw new Error(
      "Invalid configuration: INTERNAL_AUTH_SECRET: the development secret is refused in production",
    );
  }
  return Object.freeze({
    secret: v.INTERNAL_AUTH_SECRET,
    maxSkewSeconds: v.INTERNAL_AUTH_MAX_SKEW_SECONDS,
  });
}
