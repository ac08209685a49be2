import {
  type Env,
  readGatewayConfig,
  readInternalAuthConfig,
  readMerchantConfig,
} from "@pay/lib/config";
import type { Db } from "@pay/lib/db";
import type { CliOptions } from "../cli/flags.ts";
import type { LoadAuth, LoadMerchant } from "../http/auth.ts";
import { peakRate, type RatePlan } from "../plan/stages.ts";
import {
  createLoadMerchants,
  loadMerchantIds,
  merchantsNeeded,
  type RetiredMerchants,
} from "./merchants.ts";

/** The merchants of a run and how it authenticates as them. */
export interface RunMerchants {
  readonly merchants: LoadMerchant[];
  readonly auth: LoadAuth;
  /** The merchants are the run's alone (its payments are theirs): they are counted and retired. */
  readonly own: boolean;
  /** The merchants exist in the database (created by this run): retire them afterwards. */
  readonly created: boolean;
}

/** Merchants and authentication of the run; `own` when they are the run's alone. */
export async function merchantsFor(
  cli: CliOptions,
  plan: RatePlan,
  env: Env,
  pool: Db,
  runId: string,
): Promise<RunMerchants> {
  const classes = cli.scenario === "authorize"
    ? ["authorize"] as const
    : cli.refund
    ? ["authorize", "capture", "refund"] as const
    : ["authorize", "capture"] as const;
  const count = cli.merchants ??
    merchantsNeeded(peakRate(plan), readGatewayConfig(env).rateLimits, classes);
  if (cli.direct) {
    const ids = loadMerchantIds(runId, Math.max(1, count));
    const secret = readInternalAuthConfig(env).secret;
    return {
      merchants: ids.map((merchantId) => ({ merchantId })),
      auth: { kind: "signed", secret },
      own: true,
      created: false,
    };
  }
  if (count === 0) {
    const dev = readMerchantConfig(env);
    return {
      merchants: [{ merchantId: dev.devMerchantId, apiKey: dev.devApiKey }],
      auth: { kind: "bearer" },
      own: false,
      created: false,
    };
  }
  const apiKeyEnv = readMerchantConfig(env).apiKeyEnv;
  return {
    merchants: await createLoadMerchants(pool, runId, count, apiKeyEnv),
    auth: { kind: "bearer" },
    own: true,
    created: true,
  };
}

/** `Retired 38 load-test merchants: 38 keys revoked, 0 deleted (never used), 38 closed`. */
export function formatRetired(retired: RetiredMerchants): string {
  const merchants = retired.deleted + retired.closed;
  return `Retired ${merchants} load-test merchant(s): ${retired.revokedKeys} key(s) revoked, ` +
    `${retired.deleted} deleted (never used), ${retired.closed} closed (their payments stay)`;
}
