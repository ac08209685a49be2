import { dirname } from "node:path";
import type { MerchantConfig, Profile, RuntimeFile } from "@pay/lib/config";
import type { PlatformPorts, ServiceSpec } from "./services.ts";

/** The file holds the ops token and the dev API key: its owner alone may read it. */
const runtimeFileMode = 0o600;

export interface RuntimeFacts {
  readonly pid: number;
  readonly startedAt: Date;
  readonly profile: Profile;
  readonly dataDir: string;
  readonly portOffset: number;
  readonly ports: PlatformPorts;
  readonly services: readonly ServiceSpec[];
  readonly merchant: MerchantConfig;
  readonly opsToken: string | null;
}

/** One variable of the service named `name`, as the supervisor gave it. */
function serviceVar(services: readonly ServiceSpec[], name: string, variable: string): string {
  const value = services.find((spec) => spec.name === name)?.env[variable];
  if (value === undefined) throw new Error(`The ${name} service has no ${variable}`);
  return value;
}

/**
 * What `deno task start` tells the tools: the ports, and the variables that
 * point a tool at this platform (the gateway for the load generator and the
 * webhook listener; pgsim and the scrape targets for the ops CLI and MCP
 * server; the dev merchant's key and the ops token).
 */
export function runtimeFileOf(facts: RuntimeFacts): RuntimeFile {
  const gatewayUrl = `http://127.0.0.1:${facts.ports.gateway}`;
  return {
    pid: facts.pid,
    startedAt: facts.startedAt.toISOString(),
    profile: facts.profile,
    dataDir: facts.dataDir,
    portOffset: facts.portOffset,
    ports: { ...facts.ports, ingest: [...facts.ports.ingest] },
    devMerchantId: facts.merchant.devMerchantId,
    devApiKey: facts.merchant.devApiKey,
    opsToken: facts.opsToken,
    env: {
      GATEWAY_URL: gatewayUrl,
      LOAD_TARGET_URL: gatewayUrl,
      PG_URL: serviceVar(facts.services, "ops", "PG_URL"),
      OPS_SCRAPE_TARGETS: serviceVar(facts.services, "ops", "OPS_SCRAPE_TARGETS"),
      DEV_MERCHANT_ID: facts.merchant.devMerchantId,
      DEV_API_KEY: facts.merchant.devApiKey,
      ...(facts.opsToken === null ? {} : { OPS_TOKEN: facts.opsToken }),
    },
  };
}

/**
 * Writes the file whole or not at all (a temporary file renamed over it), so
 * a tool never reads half of it, and readable by its owner only.
 */
export async function writeRuntimeFile(path: string, runtime: RuntimeFile): Promise<void> {
  const temporary = await Deno.makeTempFile({ dir: dirname(path), prefix: ".runtime_" });
  try {
    await Deno.chmod(temporary, runtimeFileMode);
    await Deno.writeTextFile(temporary, JSON.stringify(runtime, null, 2) + "\n");
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Removes the file when it is still the one process `pid` wrote: a second
 * platform on the same DATA_DIR may have written its own since.
 */
export async function removeRuntimeFile(path: string, pid: number): Promise<void> {
  try {
    const written = JSON.parse(await Deno.readTextFile(path));
    if (written?.pid === pid) await Deno.remove(path);
  } catch {
    // Gone already, or not ours to judge: a stopping supervisor leaves it.
  }
}
