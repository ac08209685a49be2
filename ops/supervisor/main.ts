import { parseArgs } from "node:util";
import { processEnv, readMerchantConfig } from "@pay/lib/config";
import { bootstrap } from "./bootstrap.ts";
import { localDbSocket } from "./local_db_socket.ts";
import { platformServices, shiftedPorts } from "./services.ts";
import { Supervisor } from "./supervisor.ts";

/**
 * `deno task start [--port-offset N]`: applies migrations, creates the dev
 * merchant and its key, then runs every service as a process and stops them
 * all on Ctrl-C. `--port-offset` moves every port (8080 → 8080 + N, ...), to
 * run a second platform beside the first.
 */
const { values: flags } = parseArgs({
  options: { "port-offset": { type: "string", default: "0" } },
});
const portOffset = Number(flags["port-offset"]);
if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 50_000) {
  console.error(`--port-offset must be an integer in [0, 50000]: ${flags["port-offset"]}`);
  Deno.exit(2);
}
const ports = shiftedPorts(portOffset);
const dbSocket = localDbSocket(processEnv());
const env = dbSocket ? { ...processEnv(), DB_SOCKET: dbSocket } : processEnv();
const rootDir = new URL("../../", import.meta.url).pathname;
const merchant = readMerchantConfig(env);
await bootstrap(env, (line) => console.log(`[supervisor] ${line}`));

const supervisor = new Supervisor(rootDir, { ...env, KAFKAJS_NO_PARTITIONER_WARNING: "1" });
let stopping = false;
const stop = async (exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  console.log("[supervisor] stopping");
  await supervisor.stopAll();
  Deno.exit(exitCode);
};
Deno.addSignalListener("SIGINT", () => stop());
Deno.addSignalListener("SIGTERM", () => stop());

const services = platformServices(ports, dbSocket);
try {
  for (const spec of services) {
    await supervisor.start(spec);
    console.log(`[supervisor] ${spec.name} is up on :${spec.port}`);
  }
} catch (error) {
  console.error(`[supervisor] ${(error as Error).message}`);
  await stop(1);
}

console.log(`
Payment platform is running.
  API (gateway)   http://127.0.0.1:${ports.gateway}/api/payments   docs: http://127.0.0.1:${ports.gateway}/api/docs
  Store           http://127.0.0.1:${ports.store}
  Ops console     http://127.0.0.1:${ports.ops}
  Dev merchant    ${merchant.devMerchantId}
  Dev API key     ${merchant.devApiKey}

  curl -s -X POST http://127.0.0.1:${ports.gateway}/api/payments/authorize \\
    -H "Authorization: Bearer ${merchant.devApiKey}" -H "Content-Type: application/json" \\
    -H "Idempotency-Key: $(uuidgen 2>/dev/null || date +%s%N)" \\
    -d '{"merchantId":"${merchant.devMerchantId}","amount":10000,"currency":"KRW"}'
Press Ctrl-C to stop.`);
