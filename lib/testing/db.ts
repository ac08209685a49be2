import { type DbConfig, processEnv, readDbConfig, type StorageConfig } from "../config/mod.ts";
import {
  createDriverPool,
  createPool,
  type Db,
  dropDatabase,
  MariaDb,
  migrate,
  migrateSqlite,
  openSqliteDb,
  type Row,
  sql,
  type WriteResult,
} from "../db/mod.ts";
import { freePort } from "./processes.ts";
import { mariadbReachable } from "./services.ts";

export interface TestDatabase {
  /** The storage port on this test file's own database. */
  readonly pool: Db;
  readonly storage: StorageConfig;
  /** What a service spawned by the test needs to reach this database (STORAGE, DB_* or STORAGE_SQLITE_PATH). */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** A MariaDB test database: for tests of MariaDB itself (pools, outages, the driver's errors). */
export interface MariaTestDatabase extends TestDatabase {
  readonly config: DbConfig;
  /** The MariaDB adapter; fixtures may reach mysql2 through `pool.driver`. */
  readonly pool: MariaDb;
}

/**
 * Which adapter test databases use: TEST_STORAGE (`deno task test` sets it),
 * else MariaDB when it answers and SQLite when it does not.
 */
export async function testStorageKind(): Promise<StorageConfig["kind"]> {
  const chosen = Deno.env.get("TEST_STORAGE");
  if (chosen === "mariadb" || chosen === "sqlite") return chosen;
  if (chosen) throw new Error(`TEST_STORAGE must be mariadb or sqlite (got ${chosen})`);
  return await mariadbReachable() ? "mariadb" : "sqlite";
}

/**
 * A freshly migrated database of its own for one test file, so test files run
 * in parallel without seeing each other's rows: on MariaDB or in a SQLite file
 * (testStorageKind).
 */
export async function freshTestDatabase(name: string): Promise<TestDatabase> {
  return await testStorageKind() === "mariadb"
    ? await freshMariaDatabase(name)
    : await freshSqliteTestDatabase(name);
}

function checkedName(name: string): string {
  if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`Bad test database name: ${name}`);
  return name;
}

/**
 * A freshly migrated MariaDB database for one test file. Fails loudly when
 * MariaDB is not reachable: a file calling it declares `// test-needs: mariadb`.
 */
export async function freshMariaDatabase(name: string): Promise<MariaTestDatabase> {
  // TEST_DB_TAG keeps two checkouts testing at once on one server apart.
  const tag = Deno.env.get("TEST_DB_TAG") ?? "";
  if (!/^[a-z0-9_]{0,12}$/.test(tag)) throw new Error(`Bad TEST_DB_TAG: ${tag}`);
  const database = `pay_t_${tag}${checkedName(name)}`;
  const config = { ...readDbConfig(processEnv()), database, poolSize: 24 };
  try {
    await dropDatabase(config, config.database);
  } catch (error) {
    throw new Error(
      `MariaDB is not reachable at ${config.host}:${config.port} (this test needs it): ${error}`,
    );
  }
  await migrate(config);
  const pool = createPool(config);
  return {
    config,
    pool,
    storage: { kind: "mariadb", db: config },
    env: {
      STORAGE: "mariadb",
      DB_HOST: config.host,
      DB_PORT: String(config.port),
      DB_SOCKET: config.socketPath ?? "",
      DB_USER: config.user,
      DB_PASSWORD: config.password,
      DB_NAME: config.database,
    },
    close: () => pool.close(),
  };
}

/** A freshly migrated SQLite file in a temporary folder of its own, removed on close. */
export async function freshSqliteTestDatabase(name: string): Promise<TestDatabase> {
  const dir = await Deno.makeTempDir({ prefix: `pay_t_${checkedName(name)}_` });
  const path = `${dir}/platform.sqlite3`;
  // The process's one connection to the file: services built in the test share it.
  const pool = openSqliteDb(path);
  await migrateSqlite(pool);
  return {
    pool,
    storage: { kind: "sqlite", path },
    env: { STORAGE: "sqlite", STORAGE_SQLITE_PATH: path },
    close: async () => {
      await pool.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * A test fixture's query on either adapter (`?` placeholders; the SQLite
 * adapter rewrites the MariaDB forms it knows: see lib/db/README.md). Tests
 * only: services go through repositories.
 */
export function fixtureRows(db: Db, text: string, ...params: unknown[]): Promise<Row[]> {
  return db.query(sql(text, ...params));
}

/** A test fixture's write on either adapter. */
export function fixtureWrite(db: Db, text: string, ...params: unknown[]): Promise<WriteResult> {
  return db.execute(sql(text, ...params));
}

/** The MariaDB adapter of a MariaDB-only test's database (its file declares `// test-needs: mariadb`). */
export function mariaPool(db: TestDatabase): MariaDb {
  if (!(db.pool instanceof MariaDb)) {
    throw new Error("This test needs MariaDB: declare `// test-needs: mariadb` in its file");
  }
  return db.pool;
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
