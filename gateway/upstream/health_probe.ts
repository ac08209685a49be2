import type { UpstreamClient } from "./client.ts";
import type { UpstreamPool } from "./pool.ts";

/** A probe slower than this counts as failed: /ready answers in milliseconds when healthy. */
export const probeTimeoutMs = 1_000;

export interface HealthProbe {
  /** Probes every ejected upstream once now (tests await this instead of sleeping). */
  probeNow(): Promise<void>;
  stop(): void;
}

/**
 * Passive health checking: upstreams are ejected by failed calls (forward.ts);
 * this timer probes only the ejected ones on `/ready` and readmits those that
 * answer 200.
 */
export function startHealthProbe(
  pool: UpstreamPool,
  client: UpstreamClient,
  intervalMs: number,
): HealthProbe {
  let running: Promise<void> | null = null;
  const probeNow = () => {
    running ??= probeEjected(pool, client, Math.min(intervalMs, probeTimeoutMs))
      .finally(() => running = null);
    return running;
  };
  const timer = setInterval(probeNow, intervalMs);
  return {
    probeNow,
    stop: () => clearInterval(timer),
  };
}

async function probeEjected(
  pool: UpstreamPool,
  client: UpstreamClient,
  timeoutMs: number,
): Promise<void> {
  const ejected = pool.members().filter((u) => !u.healthy);
  await Promise.all(ejected.map(async (upstream) => {
    try {
      const response = await client.send(upstream, {
        method: "GET",
        pathWithQuery: "/ready",
        headers: {},
        body: null,
        timeoutMs,
      });
      if (response.status === 200) pool.readmit(upstream);
    } catch {
      // Still down: stays ejected until a later probe succeeds.
    }
  }));
}

/** True when at least one healthy upstream answers `/ready` with 200 (for the gateway's own /ready). */
export async function anyUpstreamReady(
  pool: UpstreamPool,
  client: UpstreamClient,
): Promise<boolean> {
  const healthy = pool.members().filter((u) => u.healthy);
  if (healthy.length === 0) return false;
  try {
    return await Promise.any(healthy.map(async (upstream) => {
      const response = await client.send(upstream, {
        method: "GET",
        pathWithQuery: "/ready",
        headers: {},
        body: null,
        timeoutMs: probeTimeoutMs,
      });
      if (response.status !== 200) throw new Error(`Not ready: ${upstream.url}`);
      return true;
    }));
  } catch {
    return false;
  }
}
