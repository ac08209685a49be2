import { type ProfileConfig, profileNeedsRedis, type RedisConfig } from "../config/mod.ts";
import { createRedis, type Redis, type RedisOptions } from "./client.ts";

/**
 * The one Redis client a service's Redis roles share under `profile`: a client
 * for scale-out (connecting at once; while Redis is unreachable its commands
 * fail and the roles report it), none at all for embedded, whose roles are
 * played without Redis. Never a fallback from one to the other.
 */
export function redisForProfile(
  profile: ProfileConfig,
  config: RedisConfig,
  options: RedisOptions = {},
): Redis | null {
  return profileNeedsRedis(profile.profile) ? createRedis(config, options) : null;
}
