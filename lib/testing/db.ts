import { type DbConfig, processEnv, readDbConfig } from "../config/mod.ts";
import { createDriverPool, createPool, dropDatabase, MariaDb, migrate } from "../db/mod.ts";
import { freePort } from "./processes.ts";

export interface TestDatabase {
  readonly config: DbConfig;
  /** The MariaDB adapter; fixtures may reach mysql2 through `pool.driver`. */
  readonly pool: MariaDb;
  close(): Promise<void>;
}

/**
 * A freshly migrated database of its own for one test file, so test files run
 * in parallel without seeing each other's rows. Fails loudly when MariaDB is
 * not reachable: integration tests never skip.
 */
export async function freshTestDatabase(name: string): Promise<TestDatabase> {
  // TEST_DB_TAG keeps two checkouts testing at once on one server apart.
  const tag = Deno.env.get("TEST_DB_TAG") ?? "";
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`Bad test database name: ${name}`);
  if (!/^[a-z0-9_]{0,12}$/.test(tag)) throw new Error(`Bad TEST_DB_TAG: ${tag}`);
  const database = `pay_t_${tag}${name}`;
  const config = { ...readDbConfig(processEnv()), database, poolSize: 24 };
  try {
    await dropDatabase(config, config.database);
  } catch (error) {
    throw new Error(
      `MariaDB is not reachable at ${config.host}:${config.port} (integration tests need it): ${error}`,
    );
  }
  await migrate(config);
  const pool = createPool(config);
  return { config, pool, close: () => pool.close() };
}

/** A pool whose MariaDB can be taken away and given back, for outage tests. */
export interface OutagePool {
  readonly pool: MariaDb;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/**
 * `pool` behind a switch: while down, every query and connection request fails
 * with what mysql2 really throws for an unreachable server (it goes to a pool
 * aimed at a closed port), as during a MariaDB outage.
 */
export function withOutage(pool: MariaDb, config: DbConfig): OutagePool {
  const unreachable = createDriverPool({
    ...config,
    host: "127.0.0.1",
    port: freePort(),
    socketPath: undefined,
  });
  let down = false;
  const switched = new Proxy(pool.driver, {
    get(target, property) {
      const source = down && ["getConnection", "query", "execute"].includes(String(property))
        ? unreachable
        : target;
      const value = Reflect.get(source, property);
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
  return {
    pool: new MariaDb(switched),
    setDown: (value) => void (down = value),
    close: () => unreachable.end(),
  };
}
