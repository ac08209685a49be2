import { dirname } from "node:path";
import type { ServiceKind } from "@pay/lib/config";
import type { PlatformData } from "./data_dir.ts";

/** One process the supervisor runs. */
export interface ServiceSpec {
  readonly name: string;
  /** Which configuration sections it reads (validated before anything starts). */
  readonly kind: ServiceKind;
  /** Entry module, relative to the repository root. */
  readonly entry: string;
  readonly permissions: readonly string[];
  /** Variables added to (and overriding) the supervisor's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Port whose /health says the service is up. */
  readonly port: number;
}

/** Least privilege for the platform's services: network, environment, reading code and config. */
const servicePermissions = ["--allow-net", "--allow-env", "--allow-read", "--allow-sys"] as const;

export interface PlatformPorts {
  readonly pgsim: number;
  readonly ingest: readonly number[];
  readonly gateway: number;
  readonly workers: number;
  readonly store: number;
  readonly ops: number;
}

export const defaultPorts: PlatformPorts = {
  pgsim: 8090,
  ingest: [8181, 8182],
  gateway: 8080,
  workers: 8084,
  store: 8000,
  ops: 8082,
};

/** Every default port moved by `offset` (a second platform, or a test, beside the first). */
export function shiftedPorts(offset: number, ports: PlatformPorts = defaultPorts): PlatformPorts {
  return {
    pgsim: ports.pgsim + offset,
    ingest: ports.ingest.map((p) => p + offset),
    gateway: ports.gateway + offset,
    workers: ports.workers + offset,
    store: ports.store + offset,
    ops: ports.ops + offset,
  };
}

/** One `--allow-write` flag for `paths` (Deno takes a comma-separated list), or none. */
function writeFlag(paths: readonly (string | undefined)[]): string[] {
  const list = paths.filter((p): p is string => p !== undefined && p !== "");
  return list.length ? [`--allow-write=${list.join(",")}`] : [];
}

/**
 * The whole platform on one machine (DESIGN §9): pgsim, two ingest instances
 * behind the gateway, the workers, the store and the ops service. `dbSocket`
 * is DB_SOCKET when set: the services reaching MariaDB get write access to
 * that path (Deno asks for it to connect to a Unix socket). `data` is where
 * the platform keeps its files (data_dir.ts): every service may write its
 * folders, pgsim only its records' folder; without it pgsim may write
 * anywhere (its file is then the caller's business) and the others nowhere.
 */
export function platformServices(
  ports: PlatformPorts = defaultPorts,
  dbSocket?: string,
  data?: PlatformData,
): ServiceSpec[] {
  const pgUrl = `http://127.0.0.1:${ports.pgsim}`;
  const dataPaths = data?.writePaths ?? [];
  const dbPermissions = [...servicePermissions, ...writeFlag([dbSocket, ...dataPaths])];
  return [
    {
      name: "pgsim",
      kind: "pgsim",
      entry: "pgsim/main.ts",
      permissions: [
        "--unstable-no-legacy-abort",
        ...servicePermissions,
        ...(data ? writeFlag([dirname(data.pgsimDataFile)]) : ["--allow-write"]),
      ],
      env: { PGSIM_PORT: String(ports.pgsim) },
      port: ports.pgsim,
    },
    ...ports.ingest.map((port, i): ServiceSpec => ({
      name: `ingest-${i + 1}`,
      kind: "ingest",
      entry: "ingest/main.ts",
      permissions: dbPermissions,
      env: { INGEST_PORT: String(port), PG_URL: pgUrl },
      port,
    })),
    {
      name: "gateway",
      kind: "gateway",
      entry: "gateway/main.ts",
      permissions: dbPermissions,
      env: {
        GATEWAY_PORT: String(ports.gateway),
        INGEST_UPSTREAMS: ports.ingest.map((p) => `http://127.0.0.1:${p}`).join(","),
      },
      port: ports.gateway,
    },
    {
      name: "workers",
      kind: "workers",
      entry: "workers/main.ts",
      permissions: dbPermissions,
      env: { WORKERS_PORT: String(ports.workers), PG_URL: pgUrl },
      port: ports.workers,
    },
    {
      name: "store",
      kind: "store",
      entry: "store/main.ts",
      permissions: [
        ...servicePermissions,
        ...writeFlag(["store/static/build", ...dataPaths]),
        "--allow-run",
      ],
      env: { STORE_PORT: String(ports.store), GATEWAY_URL: `http://127.0.0.1:${ports.gateway}` },
      port: ports.store,
    },
    {
      name: "ops",
      kind: "ops",
      entry: "ops/main.ts",
      permissions: dbPermissions,
      env: {
        OPS_PORT: String(ports.ops),
        PG_URL: pgUrl,
        OPS_SCRAPE_TARGETS: [
          `gateway=http://127.0.0.1:${ports.gateway}`,
          ...ports.ingest.map((p, i) => `ingest-${i + 1}=http://127.0.0.1:${p}`),
          `workers=http://127.0.0.1:${ports.workers}`,
          `pgsim=${pgUrl}`,
          `store=http://127.0.0.1:${ports.store}`,
        ].join(","),
      },
      port: ports.ops,
    },
  ];
}
