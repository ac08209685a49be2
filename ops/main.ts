/**
 * The ops service (DESIGN §7): operator API under /api/ops, console pages,
 * /health, /ready, /metrics on OPS_PORT. Only wiring lives here.
 */
import { processEnv } from "@pay/lib/config";
import { createRegistry } from "@pay/lib/metrics";
import { buildOpsApp } from "./app.ts";
import { createOpsRuntime } from "./context_env.ts";

function log(event: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), area: "ops", event, ...fields }));
}

const runtime = await createOpsRuntime(processEnv(), { logBus: true });
const { config, ctx } = runtime;
if (config.token === null) {
  log("mutations_disabled", { reason: "OPS_TOKEN is not set" });
} else if (config.devToken) {
  log("development_token", {
    note: "OPS_TOKEN unset: using the development token from ops/README.md",
  });
}
ctx.sampler.start(config.scrapeIntervalMs);
const app = buildOpsApp({
  ctx,
  registry: createRegistry("ops"),
  token: config.token,
  devToken: config.devToken,
  refreshSeconds: Math.max(1, Math.round(config.scrapeIntervalMs / 1_000)),
  timeZone: config.timeZone,
  log: (line) => console.error(line),
});
const server = Deno.serve({
  port: config.port,
  hostname: "0.0.0.0",
  onListen: ({ port }) =>
    log("listening", {
      port,
      targets: config.scrapeTargets.map((t) => t.name),
      console: `http://127.0.0.1:${port}/`,
    }),
}, app.fetch);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("shutting_down", { signal });
  await server.shutdown();
  await runtime.close();
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => void shutdown(signal));
}
