/**
 * The platform under fault: private MariaDB and Redis, then pgsim, two ingest
 * instances, the gateway, the workers and a second relay, each a process of
 * its own whose PID the suite knows (lib/testing startService, with the specs
 * the supervisor uses). The second relay (a workers process running only the
 * outbox relay) keeps publishing while the workers are stopped, so
 * "consumers behind" means a backlog in the bus, not only in the outbox. A
 * service that exits by itself is restarted, as the supervisor would, and
 * counted: that is a finding, not a fault the suite injected.
 */
import { createApiKey, createMerchant, createPool, type Db, migrate } from "@pay/lib/db";
import { readDbConfig } from "@pay/lib/config";
import { fetchBlockedPorts } from "@pay/lib/http";
import {
  type PrivateMariaDb,
  privateMariaDb,
  type PrivateRedis,
  privateRedis,
  type ServiceProcess,
  startService,
} from "@pay/lib/testing";
import { platformServices } from "../../ops/supervisor/services.ts";
import {
  authExpiry,
  gatewayRateLimitEnv,
  pgsimRecordsMax,
  pgsimSeed,
  platformPorts,
  privateMariaDbBufferPoolSizeMb,
  privateMariaDbConnectionsMax,
  privateMariaDbPort,
  privateRedisPort,
  relayPort,
  suitePorts,
  workersFastEnv,
} from "./settings.ts";

export type ServiceName = "pgsim" | "ingest-1" | "ingest-2" | "gateway" | "workers" | "relay";

/** Every workers module but the relay (names of workers/modules.ts and settlement/modules.ts). */
const modulesBesideRelay = [
  "dlq-archive",
  "ledger",
  "settlement",
  "authorization-expiry",
  "idempotency-purge",
  "reconciliation",
  "ledger-sweeper",
  "void-sweeper",
  "authorization-janitor",
];

/** Pause before restarting a service that exited by itself (the supervisor's restart delay). */
const selfExitRestartDelayMs = 1_000;
/** How long such restarts are tried before the service is left down (and the scenario fails). */
const selfExitRestartWindowMs = 120_000;
/** Connections of the suite's own pool (snapshots and completion polls). */
const suitePoolSize = 8;
/** Shared by the gateway and ingest; any 32+ characters. */
const internalSecret = "fault-suite-internal-secret-0123456789";

export interface FaultMerchant {
  readonly merchantId: string;
  readonly apiKey: string;
}

export interface SelfExit {
  readonly service: ServiceName;
  readonly code: number;
  readonly atMs: number;
  readonly output: string;
}

export interface FaultPlatform {
  readonly gatewayUrl: string;
  readonly pgsimUrl: string;
  /** /metrics of the workers and of the relay process. */
  readonly workersUrls: readonly string[];
  readonly pgsimDataFile: string;
  /** The suite's own connection pool to the private database. */
  readonly pool: Db;
  readonly mariadb: PrivateMariaDb;
  readonly redis: PrivateRedis;
  /** A merchant of its own for each scenario, so its checks see only its payments. */
  merchant(scenario: number): FaultMerchant;
  pid(service: ServiceName): number;
  /** kill -9 and wait for the exit. */
  kill(service: ServiceName): Promise<void>;
  /** Starts a killed service again and waits for its /health. */
  restart(service: ServiceName): Promise<void>;
  signal(service: ServiceName, signal: "SIGSTOP" | "SIGCONT"): void;
  /** Services that exited without the suite killing them, since the start. */
  selfExits(): readonly SelfExit[];
  stop(): Promise<void>;
}

/** Merchants created at start: one per scenario plus spares. */
const merchantsCreated = 12;

export async function startFaultPlatform(log: (line: string) => void): Promise<FaultPlatform> {
  for (const port of suitePorts()) {
    if (fetchBlockedPorts.has(port)) throw new Error(`Port is a WHATWG bad port: ${port}`);
  }
  const dir = await Deno.makeTempDir({ prefix: "pay_faults_" });
  const mariadb = await privateMariaDb({
    port: privateMariaDbPort,
    dir: `${dir}/mariadb`,
    bufferPoolSizeMb: privateMariaDbBufferPoolSizeMb,
    connectionsMax: privateMariaDbConnectionsMax,
  });
  const redis = await privateRedis({ port: privateRedisPort, dir: `${dir}/redis` });
  const services = new Map<ServiceName, ServiceProcess>();
  const killing = new Set<ServiceName>();
  const selfExits: SelfExit[] = [];
  let stopping = false;
  let pool: Db | undefined;

  const killEverything = () => {
    stopping = true;
    for (const pid of [...[...services.values()].map((s) => s.pid), mariadb.pid(), redis.pid()]) {
      if (pid === undefined) continue;
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* already gone */ }
    }
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* a killed daemon may still be closing its files */ }
  };
  // Whatever ends this process (a failed test, Ctrl-C), no child outlives it.
  globalThis.addEventListener("unload", killEverything);
  const onInterrupt = () => {
    killEverything();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);

  const stop = async () => {
    stopping = true;
    for (const service of services.values()) service.signal("SIGCONT");
    await Promise.all([...services.values()].map((s) => s.kill()));
    await pool?.close().catch(() => {});
    await Promise.all([mariadb.kill(), redis.kill()]);
    globalThis.removeEventListener("unload", killEverything);
    Deno.removeSignalListener("SIGINT", onInterrupt);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  try {
    await Promise.all([mariadb.start(), redis.start()]);
    const tag = Deno.env.get("TEST_DB_TAG") ?? "";
    const dbEnv = {
      DB_HOST: "127.0.0.1",
      DB_PORT: String(privateMariaDbPort),
      DB_SOCKET: "",
      DB_USER: "root",
      DB_PASSWORD: "",
      DB_NAME: `pay_t_${tag}faults`,
    };
    const dbConfig = readDbConfig(dbEnv);
    await migrate(dbConfig);
    pool = createPool({ ...dbConfig, poolSize: suitePoolSize });
    const merchants = await createMerchants(pool);
    const pgsimDataFile = `${dir}/pgsim.db`;
    const env = {
      ...dbEnv,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: "flt:",
      // The faults are MariaDB's and Redis's: the scale-out profile, chosen explicitly.
      PROFILE: "scale-out",
      BUS: "redis",
      KAFKA_BROKERS: "",
      INTERNAL_AUTH_SECRET: internalSecret,
      LOG_ACCESS: "false",
      AUTH_EXPIRY: authExpiry,
      PGSIM_DATA_FILE: pgsimDataFile,
      PGSIM_SEED: String(pgsimSeed),
      PGSIM_RECORDS_MAX: String(pgsimRecordsMax),
      ...workersFastEnv,
      ...gatewayRateLimitEnv,
    };
    const specs = new Map<string, { entry: string; port: number; env: Record<string, string> }>(
      platformServices(platformPorts).map((spec) => [spec.name, { ...spec, env: { ...spec.env } }]),
    );
    const workers = specs.get("workers")!;
    specs.set("relay", {
      entry: workers.entry,
      port: relayPort,
      env: {
        ...workers.env,
        WORKERS_PORT: String(relayPort),
        WORKERS_DISABLED: modulesBesideRelay.join(","),
      },
    });
    const launch = async (name: ServiceName) => {
      const spec = specs.get(name)!;
      const service = await startService({
        name,
        entry: spec.entry,
        port: spec.port,
        env: { ...env, ...spec.env },
      });
      services.set(name, service);
      void service.exited.then(async (status) => {
        if (stopping || killing.has(name) || services.get(name) !== service) return;
        selfExits.push({
          service: name,
          code: status.code,
          atMs: Date.now(),
          output: service.output(),
        });
        log(`${name} exited by itself (code ${status.code}); restarting it`);
        await relaunch(name);
      });
    };
    /** Restarts a service that exited by itself, again and again, as the supervisor would. */
    const relaunch = async (name: ServiceName) => {
      const deadline = Date.now() + selfExitRestartWindowMs;
      while (!stopping && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, selfExitRestartDelayMs));
        if (stopping) return;
        try {
          return await launch(name);
        } catch (error) {
          log(`restart of ${name} failed: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    };
    await launch("pgsim");
    await Promise.all(
      (["ingest-1", "ingest-2", "gateway", "workers", "relay"] as const).map(launch),
    );
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const running = (name: ServiceName) => {
      const service = services.get(name);
      if (!service) throw new Error(`Service is not running: ${name}`);
      return service;
    };
    return {
      gatewayUrl: url(platformPorts.gateway),
      pgsimUrl: url(platformPorts.pgsim),
      workersUrls: [url(platformPorts.workers), url(relayPort)],
      pgsimDataFile,
      pool,
      mariadb,
      redis,
      merchant(scenario) {
        const merchant = merchants[scenario];
        if (!merchant) throw new Error(`No merchant for scenario: ${scenario}`);
        return merchant;
      },
      pid: (name) => running(name).pid,
      async kill(name) {
        killing.add(name);
        try {
          await running(name).kill();
        } finally {
          services.delete(name);
          killing.delete(name);
        }
      },
      restart: (name) => launch(name),
      signal: (name, signal) => running(name).signal(signal),
      selfExits: () => selfExits,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createMerchants(pool: Db): Promise<FaultMerchant[]> {
  const merchants: FaultMerchant[] = [];
  for (let i = 0; i < merchantsCreated; i++) {
    const merchantId = `FLT_S${i}`;
    await createMerchant(pool, { id: merchantId, name: `Fault suite scenario ${i}` });
    const { apiKey } = await createApiKey(pool, { merchantId, env: "test", label: "faults" });
    merchants.push({ merchantId, apiKey });
  }
  return merchants;
}
