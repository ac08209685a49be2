import type { MerchantConfig, OpsConfig, Profile } from "@pay/lib/config";
import type { PlatformPorts } from "./services.ts";

export interface BannerFacts {
  readonly ports: PlatformPorts;
  readonly profile: Profile;
  readonly dataDir: string;
  readonly merchant: MerchantConfig;
  readonly ops: OpsConfig;
  readonly runtimePath: string;
}

/**
 * How to log in to the console: the development token is printed (it is
 * public anyway); a token the operator set stays in their secret store and in
 * the owner-only runtime file, not in a terminal's scrollback or a log.
 */
function opsLogin(ops: OpsConfig, runtimePath: string): string {
  if (ops.token === null) return "none: set OPS_TOKEN to log in (read-only until then)";
  if (ops.devToken) return ops.token;
  return `the OPS_TOKEN you set (also in ${runtimePath})`;
}

/** What `deno task start` prints once every service is up. */
export function banner({ ports, profile, dataDir, merchant, ops, runtimePath }: BannerFacts) {
  const gateway = `http://127.0.0.1:${ports.gateway}`;
  const opsUrl = `http://127.0.0.1:${ports.ops}`;
  return `
Payment platform is running.
  API (gateway)   ${gateway}/api/payments   docs: ${gateway}/api/docs
  Store           http://127.0.0.1:${ports.store}
  Ops console     ${opsUrl}   login token: ${opsLogin(ops, runtimePath)}
  Profile         ${profile} (data in ${dataDir})
  Dev merchant    ${merchant.devMerchantId}
  Dev API key     ${merchant.devApiKey}
  Runtime file    ${runtimePath} (deno task load, ops, ops:mcp and webhooks:listen read it)

  curl -s -X POST ${gateway}/api/payments/authorize \\
    -H "Authorization: Bearer ${merchant.devApiKey}" -H "Content-Type: application/json" \\
    -H "Idempotency-Key: $(uuidgen 2>/dev/null || date +%s%N)" \\
    -d '{"merchantId":"${merchant.devMerchantId}","amount":10000,"currency":"KRW"}'
Press Ctrl-C to stop.`;
}
