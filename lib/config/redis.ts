import { type Env, parseEnv, stringVar, urlVar } from "./env.ts";

export const redisVars = {
  REDIS_URL: urlVar("redis://127.0.0.1:6379", "Redis URL (redis://[user:pass@]host:port[/db])"),
  REDIS_KEY_PREFIX: stringVar("pay:", "Prefix of every Redis key this platform writes"),
};

export interface RedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
}

export function readRedisConfig(env: Env): RedisConfig {
  const v = parseEnv(redisVars, env);
  return Object.freeze({ url: v.REDIS_URL, keyPrefix: v.REDIS_KEY_PREFIX });
}
