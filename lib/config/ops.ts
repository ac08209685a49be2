import { z } from "zod";
import { ConfigError, type Env, intVar, parseEnv, payEnvVar } from "./env.ts";
import { readDisplayConfig } from "./display.ts";

/**
 * Development ops token, well known on purpose (README). Used only when
 * PAY_ENV=development and OPS_TOKEN is unset; elsewhere an unset token
 * disables every mutating operation.
 */
export const devOpsToken = "dev-ops-token-change-me-0123456789";

/** Shortest OPS_TOKEN accepted: 128 bits in hex; shorter tokens are guessable. */
const opsTokenCharsMin = 32;

const defaultScrapeTargets = [
  "gateway=http://127.0.0.1:8080",
  "ingest-1=http://127.0.0.1:8181",
  "ingest-2=http://127.0.0.1:8182",
  "workers=http://127.0.0.1:8084",
  "pgsim=http://127.0.0.1:8090",
].join(",");

export const opsVars = {
  OPS_PORT: intVar(8082, 0, 65535, "Port of the ops API and console"),
  OPS_TOKEN: z.string().default("").describe(
    "Bearer token for mutating ops operations (>= 32 chars); unset: mutations refused, except PAY_ENV=development uses dev-ops-token-change-me-0123456789",
  ),
  OPS_SCRAPE_TARGETS: z.string().default(defaultScrapeTargets).describe(
    "Services whose /metrics ops scrapes (and whose /admin/breakers it calls): comma-separated name=http://host:port",
  ),
  OPS_SCRAPE_INTERVAL_MS: intVar(
    5000,
    250,
    300000,
    "How often ops scrapes every target's /metrics for the console charts",
  ),
  OPS_SCRAPE_TIMEOUT_MS: intVar(2000, 50, 60000, "Timeout of one /metrics scrape"),
  OPS_SAMPLES_MAX: intVar(
    360,
    2,
    100000,
    "Scrapes kept per target in memory (360 x 5 s = the last 30 minutes of charts)",
  ),
  PAY_ENV: payEnvVar,
};

export interface ServiceTarget {
  readonly name: string;
  readonly url: string;
}

export interface OpsConfig {
  readonly port: number;
  /** The token mutations need, or null when mutations are disabled. */
  readonly token: string | null;
  /** True when `token` is the development default. */
  readonly devToken: boolean;
  readonly scrapeTargets: readonly ServiceTarget[];
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly samplesMax: number;
  /** DISPLAY_TIME_ZONE: the zone of the console's times. */
  readonly timeZone: string;
}

/** Parses `name=http://host:port,...`; throws a message naming `variable`. */
export function parseServiceTargets(variable: string, value: string): ServiceTarget[] {
  const targets: ServiceTarget[] = [];
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9_.-]{1,64})=(https?:\/\/[A-Za-z0-9.:[\]-]+)\/?$/.exec(part);
    if (!match) {
      throw new ConfigError([
        `${variable}: expected name=http://host:port (got ${JSON.stringify(part)})`,
      ]);
    }
    if (targets.some((t) => t.name === match[1])) {
      throw new ConfigError([`${variable}: the name appears twice (got ${JSON.stringify(part)})`]);
    }
    targets.push(Object.freeze({ name: match[1]!, url: match[2]! }));
  }
  return targets;
}

export function readOpsConfig(env: Env): OpsConfig {
  const v = parseEnv(opsVars, env);
  const given = v.OPS_TOKEN.trim();
  if (given !== "" && given.length < opsTokenCharsMin) {
    throw new ConfigError([
      `OPS_TOKEN: must be at least ${opsTokenCharsMin} characters (got ${given.length})`,
    ]);
  }
  if (v.PAY_ENV === "production" && given === devOpsToken) {
    throw new ConfigError(["OPS_TOKEN: the development token is refused in production"]);
  }
  const devToken = given === "" && v.PAY_ENV === "development";
  return Object.freeze({
    port: v.OPS_PORT,
    token: given !== "" ? given : devToken ? devOpsToken : null,
    devToken: devToken || given === devOpsToken,
    scrapeTargets: Object.freeze(parseServiceTargets("OPS_SCRAPE_TARGETS", v.OPS_SCRAPE_TARGETS)),
    scrapeIntervalMs: v.OPS_SCRAPE_INTERVAL_MS,
    scrapeTimeoutMs: v.OPS_SCRAPE_TIMEOUT_MS,
    samplesMax: v.OPS_SAMPLES_MAX,
    timeZone: readDisplayConfig(env).timeZone,
  });
}
