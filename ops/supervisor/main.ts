import { processEnv, readMerchantConfig } from "@pay/lib/config";
import { bootstrap } from "./bootstrap.ts";
import { localDbSocket } from "./local_db_socket.ts";
import { platformServices } from "./services.ts";
import { Supervisor } from "./supervisor.ts";

/**
 * `deno task start`: applies migrations, creates the dev merchant and its
 * key, then runs every service as a process and stops them all on Ctrl-C.
 */
const dbSocket = localDbSocket(processEnv());
const env = dbSocket ? { ...processEnv(), DB_SOCKET: dbSocket } : processEnv();
const rootDir = new URL("../../", import.meta.url).pathname;
const merchant = readMerchantConfig(env);
await bootstrap(env, (line) => console.log(`[supervisor] ${line}`));

const supervisor = new Supervisor(rootDir, { ...env, KAFKAJS_NO_PARTITIONER_WARNING: "1" });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("[supervisor] stopping");
  await supervisor.stopAll();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);

const services = platformServices(undefined, dbSocket);
try {
  for (const spec of services) {
    await supervisor.start(spec);
    console.log(`[supervisor] ${spec.name} is up on :${spec.port}`);
  }
} catch (error) {
  console.error(`[supervisor] ${(error as Error).message}`);
  await stop();
}

console.log(`
Payment platform is running.
  API (gateway)   http://127.0.0.1:8080/api/payments   docs: http://127.0.0.1:8080/api/docs
  Store           http://127.0.0.1:8000
  Ops console     http://127.0.0.1:8082
  Dev merchant    ${merchant.devMerchantId}
  Dev API key     ${merchant.devApiKey}

  curl -s -X POST http://127.0.0.1:8080/api/payments/authorize \\
    -H "Authorization: Bearer ${merchant.devApiKey}" -H "Content-Type: application/json" \\
    -H "Idempotency-Key: $(uuidgen 2>/dev/null || date +%s%N)" \\
    -d '{"merchantId":"${merchant.devMerchantId}","amount":10000,"currency":"KRW"}'
Press Ctrl-C to stop.`);
