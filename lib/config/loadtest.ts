import { z } from "zod";
import { boolVar, type Env, parseEnv, stringVar } from "./env.ts";

/**
 * The load generator (`deno task load`). Flags override these; the two
 * ENABLE_* toggles keep the original k6 scenario's names so its users'
 * habits carry over.
 */
export const loadtestVars = {
  LOAD_TARGET_URL: z.url().default("http://127.0.0.1:8080").describe(
    "Gateway (or, with --direct, ingest) the load generator sends to; loopback addresses only",
  ),
  ENABLE_CAPTURE: boolVar(
    false,
    "Load generator: capture every authorized payment (flow scenario)",
  ),
  ENABLE_REFUND: boolVar(
    false,
    "Load generator: refund captured payments (needs ENABLE_CAPTURE or --scenario flow)",
  ),
  LOAD_RESULTS_DIR: stringVar(
    "test-output/load",
    "Folder the load generator writes its JSON results and latency chart to",
  ),
};

export interface LoadtestConfig {
  readonly targetUrl: string;
  readonly enableCapture: boolean;
  readonly enableRefund: boolean;
  readonly resultsDir: string;
}

export function readLoadtestConfig(env: Env): LoadtestConfig {
  const v = parseEnv(loadtestVars, env);
  return Object.freeze({
    targetUrl: v.LOAD_TARGET_URL,
    enableCapture: v.ENABLE_CAPTURE,
    enableRefund: v.ENABLE_REFUND,
    resultsDir: v.LOAD_RESULTS_DIR,
  });
}
