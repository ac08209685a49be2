/**
 * Runs the store's browser test against real processes instead of the fake
 * gateway: pgsim, one ingest, the gateway and the workers, started on free
 * ports with a database (`pay_t_store_e2e`) and Redis prefix of their own,
 * the dev merchant created. The store runs in the test, pointed at that
 * gateway with GATEWAY_URL. Exits with the test's status.
 *
 *   deno run -A store/tools/browser_real_stack.ts
 *
 * To drive a platform you started yourself (`deno task start`), run the test
 * directly: GATEWAY_URL=http://127.0.0.1:8080 deno test -A store/browser/
 * (or STORE_E2E_URL=http://127.0.0.1:8000 to drive its store process too).
 */
import { devApiKeyDefault, readMerchantConfig } from "@pay/lib/config";
import { ensureDevMerchant } from "@pay/lib/db";
import {
  freePort,
  freshTestDatabase,
  freshTestRedis,
  type ServiceProcess,
  startService,
} from "@pay/lib/testing";

const name = "store_e2e";
const db = await freshTestDatabase(name);
await ensureDevMerchant(db.pool, {
  merchantId: readMerchantConfig({}).devMerchantId,
  name: "Store end-to-end merchant",
  apiKey: devApiKeyDefault,
});
await db.close();
const redis = await freshTestRedis(name);
await redis.close();

const env = {
  ...Deno.env.toObject(),
  DB_NAME: db.config.database,
  REDIS_KEY_PREFIX: redis.config.keyPrefix,
  KAFKAJS_NO_PARTITIONER_WARNING: "1",
};
const ports = { pgsim: freePort(), ingest: freePort(), gateway: freePort(), workers: freePort() };
const pgUrl = `http://127.0.0.1:${ports.pgsim}`;
const specs: { name: string; entry: string; port: number; env: Record<string, string> }[] = [
  {
    name: "pgsim",
    entry: "pgsim/main.ts",
    port: ports.pgsim,
    env: { PGSIM_PORT: `${ports.pgsim}` },
  },
  {
    name: "ingest",
    entry: "ingest/main.ts",
    port: ports.ingest,
    env: { INGEST_PORT: `${ports.ingest}`, PG_URL: pgUrl },
  },
  {
    name: "gateway",
    entry: "gateway/main.ts",
    port: ports.gateway,
    env: { GATEWAY_PORT: `${ports.gateway}`, INGEST_UPSTREAMS: `http://127.0.0.1:${ports.ingest}` },
  },
  {
    name: "workers",
    entry: "workers/main.ts",
    port: ports.workers,
    env: { WORKERS_PORT: `${ports.workers}`, PG_URL: pgUrl },
  },
];

const services: ServiceProcess[] = [];
let code = 1;
try {
  for (const spec of specs) {
    services.push(await startService({ ...spec, env: { ...env, ...spec.env } }));
    console.log(`store e2e: ${spec.name} is up on :${spec.port}`);
  }
  const test = new Deno.Command(Deno.execPath(), {
    args: ["test", "--allow-all", "store/browser/"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { ...Deno.env.toObject(), GATEWAY_URL: `http://127.0.0.1:${ports.gateway}` },
  }).spawn();
  code = (await test.status).code;
} finally {
  for (const service of services.reverse()) await service.stop();
  if (code !== 0) {
    for (const service of services) console.log(`---- ${service.name}\n${service.output()}`);
  }
}
Deno.exit(code);
