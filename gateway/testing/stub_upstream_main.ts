/**
 * A stub upstream as its own process (tests kill it; the bench loads it).
 * Args: [port=0] [delayMs=0] [verbose]. Prints its port on the first stdout
 * line, then (verbose) `received <method> <path>` per payment request.
 * Env INTERNAL_AUTH_SECRET as the gateway's.
 */
import { processEnv, readInternalAuthConfig } from "@pay/lib/config";
import { stubUpstreamApp } from "./stub_upstream.ts";

const port = Number(Deno.args[0] ?? 0);
const delayMs = Number(Deno.args[1] ?? 0);
const verbose = Deno.args[2] === "verbose";
const app = stubUpstreamApp({
  secret: readInternalAuthConfig(processEnv()).secret,
  delayMs,
  onRequest: verbose ? (r) => console.log(`received ${r.method} ${r.pathWithQuery}`) : undefined,
});
Deno.serve({
  port,
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(port),
}, app.fetch);
