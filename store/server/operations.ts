/** The operator endpoints every service has (DESIGN §7): liveness, readiness, metrics. */
import { metricsResponse } from "@pay/lib/metrics";
import type { StoreDeps } from "./context.ts";
import type { StoreMetrics } from "./metrics.ts";

/** A readiness probe must answer quickly; a gateway slower than this counts as unreachable. */
const gatewayProbeTimeoutMs = 1_000;

export const operationPaths: ReadonlySet<string> = new Set(["/health", "/ready", "/metrics"]);

/**
 * `/ready` fails (503) when the cart store is unreachable: no page works
 * without it. The gateway is reported but does not fail readiness: browsing
 * and carts work while it is down, and checkout explains the outage.
 */
export async function answerOperation(
  pathname: string,
  deps: StoreDeps,
  metrics: StoreMetrics,
): Promise<Response> {
  if (pathname === "/health") return Response.json({ status: "ok" });
  if (pathname === "/metrics") return await metricsResponse(metrics.registry);
  const [state, gateway] = await Promise.all([
    deps.state.ping().then(() => "ok", (error) => `unreachable: ${error}`),
    fetch(`${deps.config.gatewayUrl}/health`, {
      signal: AbortSignal.timeout(gatewayProbeTimeoutMs),
    })
      .then(async (r) => {
        await r.body?.cancel();
        return r.ok ? "ok" : `unhealthy: ${r.status}`;
      }, (error) => `unreachable: ${error}`),
  ]);
  return Response.json(
    { status: state === "ok" ? "ready" : "not_ready", state, gateway },
    { status: state === "ok" ? 200 : 503 },
  );
}
