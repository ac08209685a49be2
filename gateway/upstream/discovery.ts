import type { UpstreamSource } from "@pay/lib/config";
import type { UpstreamPool } from "./pool.ts";

/** Returns the IP addresses of a host name. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** A and AAAA records through Deno.resolveDns (reads /etc/hosts for both). */
export const denoResolver: Resolver = async (hostname) => {
  const [v4, v6] = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  const addresses = [
    ...(v4.status === "fulfilled" ? v4.value : []),
    ...(v6.status === "fulfilled" ? v6.value.map((ip) => `[${ip}]`) : []),
  ];
  if (addresses.length === 0 && v4.status === "rejected") throw v4.reason;
  return addresses;
};

export interface Discovery {
  /** Resolves once more now (tests await this instead of sleeping). */
  refreshNow(): Promise<void>;
  stop(): void;
}

export interface DiscoveryOptions {
  readonly refreshMs: number;
  readonly resolver?: Resolver;
  readonly log?: (line: string) => void;
}

/**
 * Keeps the pool's member list current: a static list is set once; a DNS name
 * is resolved now and every `refreshMs`. A failed or empty answer keeps the
 * last known members (a DNS hiccup must not empty the pool).
 */
export async function startDiscovery(
  source: UpstreamSource,
  pool: UpstreamPool,
  options: DiscoveryOptions,
): Promise<Discovery> {
  if (source.kind === "static") {
    pool.replace(source.urls);
    return { refreshNow: () => Promise.resolve(), stop: () => {} };
  }
  const resolver = options.resolver ?? denoResolver;
  const log = options.log ?? ((line) => console.error(line));
  const refreshNow = async () => {
    try {
      const addresses = await resolver(source.host);
      if (addresses.length === 0) throw new Error("no addresses");
      pool.replace(addresses.map((ip) => `http://${ip}:${source.port}`));
    } catch (error) {
      log(JSON.stringify({
        level: "warn",
        msg: `Upstream discovery failed, keeping the last members: ${source.host}`,
        error: String(error),
      }));
    }
  };
  await refreshNow();
  const timer = setInterval(refreshNow, options.refreshMs);
  return { refreshNow, stop: () => clearInterval(timer) };
}
