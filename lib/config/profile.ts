import { z } from "zod";
import { type Env, parseEnv } from "./env.ts";

/**
 * The two ways to run the platform (DESIGN §1). `embedded`: nothing but Deno;
 * the rows live in one SQLite file (STORAGE), every Redis role is played in
 * the process or in a file under DATA_DIR, and no Redis connection is ever
 * opened. `scale-out`: Redis plays them, shared by
 * every instance; an unreachable Redis is reported (503, `/ready` false),
 * never replaced by an in-process stand-in.
 */
export const profiles = ["embedded", "scale-out"] as const;
export type Profile = (typeof profiles)[number];

/**
 * `embedded`: a fresh machine with nothing but Deno runs the platform; the
 * scale-out profile is chosen explicitly.
 */
export const profileDefault: Profile = "embedded";

export const profileVars = {
  PROFILE: z.enum(profiles).default(profileDefault).describe(
    "embedded (the default: nothing but Deno; rows, the bus, nonces and carts in SQLite files under DATA_DIR, rate limits in the gateway process, no MariaDB or Redis connection) or scale-out (MariaDB and Redis shared by every instance; Kafka with BUS=kafka)",
  ),
  DATA_DIR: z.string().min(1).default(".data").describe(
    "Folder of the platform's files (relative to the working directory): the embedded profile's bus, nonces and store state, and under deno task start pgsim's records in both profiles; created when missing",
  ),
};

/**
 * Whether the profile's services connect to Redis (rate limits, nonces,
 * idempotency cache, carts, the default bus): the one place that decides, for
 * the services' clients and the supervisor's pre-flight alike.
 */
export function profileNeedsRedis(profile: Profile): boolean {
  return profile === "scale-out";
}

export interface ProfileConfig {
  readonly profile: Profile;
  readonly dataDir: string;
}

export function readProfileConfig(env: Env): ProfileConfig {
  const v = parseEnv(profileVars, env);
  return Object.freeze({ profile: v.PROFILE, dataDir: v.DATA_DIR });
}
