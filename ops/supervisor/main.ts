import { parseArgs } from "node:util";
import {
  platformConfigProblems,
  processEnv,
  profileNeedsRedis,
  readBusConfig,
  readMerchantConfig,
  readOpsConfig,
  readProfileConfig,
  readRedisConfig,
  readStorageConfig,
  runtimeFilePath,
} from "@pay/lib/config";
import { describeStorage } from "@pay/lib/db";
import { banner } from "./banner.ts";
import { blockedPortProblem } from "./blocked_ports.ts";
import { bootstrap } from "./bootstrap.ts";
import { ensureDataFolders, platformData } from "./data_dir.ts";
import { dependencyProblems } from "./preflight.ts";
import { removeRuntimeFile, runtimeFileOf, writeRuntimeFile } from "./runtime_file.ts";
import { platformServices, shiftedPorts } from "./services.ts";
import { Supervisor } from "./supervisor.ts";

/**
 * `deno task start [--port-offset N]`: validates every service's
 * configuration and checks that MariaDB and (scale-out profile) Redis answer
 * (nothing starts otherwise), creates the data folder (DATA_DIR: the embedded
 * files and pgsim's records), applies migrations, creates the dev merchant and its key, then
 * runs every service as a process, restarts one that crashes, and stops them
 * all on Ctrl-C. `--port-offset` moves every port (8080 → 8080 + N, ...), to
 * run a second platform beside the first. Once every service is up it writes
 * DATA_DIR/runtime.json (the ports and tokens, for the tools) and removes it
 * when it stops.
 */
const { values: flags } = parseArgs({
  options: { "port-offset": { type: "string", default: "0" } },
});
const portOffset = Number(flags["port-offset"]);
if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 50_000) {
  console.error(`--port-offset must be an integer in [0, 50000]: ${flags["port-offset"]}`);
  Deno.exit(2);
}
const blocked = blockedPortProblem(portOffset);
if (blocked) {
  console.error(`[supervisor] ${blocked}`);
  Deno.exit(2);
}
const ports = shiftedPorts(portOffset);
const env = processEnv();
// MariaDB over a Unix socket only when DB_SOCKET says so: never a silent switch.
const dbSocket = env.DB_SOCKET || undefined;
const configProblems = platformConfigProblems([
  { name: "supervisor", kind: "bootstrap", env },
  ...platformServices(ports, dbSocket).map((spec) => ({
    name: spec.name,
    kind: spec.kind,
    env: { ...env, ...spec.env },
  })),
]);
if (configProblems.length) {
  console.error(
    `[supervisor] Invalid configuration; nothing was started:\n  ${configProblems.join("\n  ")}`,
  );
  Deno.exit(2);
}
const profile = readProfileConfig(env).profile;
const unreachable = await dependencyProblems(
  readStorageConfig(env),
  profileNeedsRedis(profile) ? readRedisConfig(env) : null,
  readBusConfig(env),
);
if (unreachable.length) {
  for (const line of unreachable) console.error(`[supervisor] ${line}`);
  Deno.exit(1);
}
const rootDir = new URL("../../", import.meta.url).pathname;
const data = platformData(env, Deno.cwd());
try {
  await ensureDataFolders(data);
} catch (error) {
  console.error(`[supervisor] Cannot create the data folder ${data.dataDir} (DATA_DIR): ${error}`);
  Deno.exit(1);
}
console.log(
  `[supervisor] profile ${profile}, data in ${data.dataDir}, rows in ${
    describeStorage(readStorageConfig({ ...env, ...data.env }))
  }`,
);
const services = platformServices(ports, dbSocket, data);
const merchant = readMerchantConfig(env);
const ops = readOpsConfig(env);
const runtimePath = runtimeFilePath({ ...env, ...data.env });
try {
  await bootstrap({ ...env, ...data.env }, (line) => console.log(`[supervisor] ${line}`));
} catch (error) {
  console.error(`[supervisor] Bootstrap failed; nothing was started: ${(error as Error).message}`);
  Deno.exit(1);
}

// Local development: webhook endpoints on localhost are allowed unless the environment says otherwise.
const supervisor = new Supervisor(rootDir, {
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  ...env,
  ...data.env,
  KAFKAJS_NO_PARTITIONER_WARNING: "1",
});
let stopping = false;
const stop = async (exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  console.log("[supervisor] stopping");
  await removeRuntimeFile(runtimePath, Deno.pid);
  await supervisor.stopAll();
  Deno.exit(exitCode);
};
Deno.addSignalListener("SIGINT", () => stop());
Deno.addSignalListener("SIGTERM", () => stop());

try {
  for (const spec of services) {
    await supervisor.start(spec);
    console.log(`[supervisor] ${spec.name} is up on :${spec.port}`);
  }
} catch (error) {
  console.error(`[supervisor] ${(error as Error).message}`);
  await stop(1);
}

try {
  await writeRuntimeFile(
    runtimePath,
    runtimeFileOf({
      pid: Deno.pid,
      startedAt: new Date(),
      profile,
      dataDir: data.dataDir,
      portOffset,
      ports,
      services,
      merchant,
      opsToken: ops.token,
    }),
  );
} catch (error) {
  console.error(`[supervisor] Cannot write ${runtimePath}: ${(error as Error).message}`);
  await stop(1);
}
console.log(banner({ ports, profile, dataDir: data.dataDir, merchant, ops, runtimePath }));
