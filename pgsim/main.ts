import { processEnv, readPgsimConfig } from "@pay/lib/config";
import { createMemorySimDb } from "@pay/lib/pg";
import { createPgsimApp } from "./app.ts";
import { systemClock } from "./clock.ts";
import { createSqliteSimDb } from "./db/sqlite_db.ts";
import { createPrng, randomSeed } from "./prng.ts";

const config = readPgsimConfig(processEnv());
const log = (fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), service: "pgsim", ...fields }));

const seed = config.seed ?? randomSeed();
log({
  level: "info",
  msg: config.seed === undefined
    ? `Fault seed ${seed} (random; set PGSIM_SEED=${seed} to replay this run)`
    : `Fault seed ${seed}`,
});
const db = config.dataFile === undefined
  ? createMemorySimDb(config.recordsMax)
  : createSqliteSimDb(config.dataFile, config.recordsMax);
log({
  level: "info",
  msg: `Records: ${config.dataFile ?? "in memory"}, at most ${config.recordsMax} of each kind`,
});
const pgsim = createPgsimApp({ config, clock: systemClock, random: createPrng(seed), db });

const server = Deno.serve({
  port: config.port,
  hostname: "0.0.0.0",
  onListen: ({ port }) => log({ level: "info", msg: `pgsim listening on :${port}` }),
}, pgsim.app.fetch);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    pgsim.close();
    await server.shutdown();
    db.close();
    Deno.exit(0);
  });
}
